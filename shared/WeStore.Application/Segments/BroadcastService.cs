using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Coupons;
using WeStore.Application.WeCom;
using WeStore.Domain.Common;
using WeStore.Domain.Messaging;
using WeStore.Domain.Segments;
using WeStore.WeChat;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.Segments;

public sealed record CreateBroadcastCommand(string SegmentId, string Text, string? MiniProgramTitle, string? MiniProgramPage, string? CouponCampaignId, string? IdempotencyKey);

public sealed record BroadcastTaskView(string Staff, int Chunk, string State, int Recipients, int Failed, bool Confirmed, int Sent, int NotFriend, int AlreadyReceived, int Unsent, int? ErrorCode);

public sealed record BroadcastView(
    string Id, string SegmentId, string Text, DateTimeOffset CreatedAt, string Stage, long Targeted, IReadOnlyDictionary<string, long> Skipped,
    long Sent, long NotFriend, long AlreadyReceived, long Unconfirmed, long PurchasedWithin7Days, long PurchasedGmv, IReadOnlyList<BroadcastTaskView> Tasks);

/// <summary>
/// Mass messages to a segment through WeCom. Background work only, in three kinds of queue message:
/// <list type="number">
/// <item><b>page</b>: one page of the segment. Each member is targeted through their own staff member, or skipped
/// with a reason: no WeCom relation, the relation lost, or the customer at WeCom's per-customer cap, which is
/// counted here because WeCom drops what is over it without an error. The page is counted once under the
/// broadcast's version.</item>
/// <item><b>send</b>: one staff member's customers in chunks of at most 10,000, one add_msg_template each, at most
/// once (a task row is written before the call).</item>
/// <item><b>follow</b>: get_groupmsg_task until the staff member confirms, then get_groupmsg_send_result for what
/// reached whom.</item>
/// </list>
/// </summary>
public sealed class BroadcastService(
    IBroadcastStore store,
    ISegmentStore segments,
    IMemberFactsStore facts,
    SegmentCatalog catalog,
    ICustomerMessageCap cap,
    CouponIssuance coupons,
    WeComApiClient wecom,
    WelcomeCard card,
    IMessageSender messages,
    IOptions<SegmentsOptions> options,
    TimeProvider time,
    ILogger<BroadcastService> logger)
{
    private static readonly TimeSpan FollowFor = TimeSpan.FromDays(3);

    public async Task<Result<(BroadcastView View, bool Created)>> CreateAsync(CreateBroadcastCommand command, CancellationToken cancellationToken)
    {
        var id = command.IdempotencyKey is { } key
            ? "bc" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("broadcast|" + key)))[..20].ToLowerInvariant()
            : "bc" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
        if (await store.GetAsync(id, cancellationToken) is { } existing)
        {
            if (existing.Definition.SegmentId != command.SegmentId || existing.Definition.Text != command.Text)
            {
                return Error.Conflict("idempotency_key_reused", "This Idempotency-Key was used for another broadcast.");
            }

            return (await ViewAsync(existing, cancellationToken), false);
        }

        if (await segments.GetAsync(command.SegmentId, cancellationToken) is null) return Error.NotFound("segment_not_found", "No segment has that id.");
        var broadcast = Broadcast.Create(new BroadcastDefinition(id, command.SegmentId, command.Text, command.MiniProgramTitle, command.MiniProgramPage, command.CouponCampaignId, time.GetUtcNow()));
        if (!await store.CreateAsync(broadcast, cancellationToken))
        {
            return await store.GetAsync(id, cancellationToken) is { } raced ? (await ViewAsync(raced, cancellationToken), false) : Error.Conflict("broadcast_conflict", "Try again.");
        }

        catalog.Invalidate();
        await messages.SendAsync(SegmentQueues.Broadcasts, new BroadcastWorkMessage(id, BroadcastWork.Page), cancellationToken: cancellationToken);
        logger.LogInformation("Broadcast {BroadcastId} to segment {SegmentId} created", id, command.SegmentId);
        return (await ViewAsync(broadcast, cancellationToken), true);
    }

    /// <summary>The broadcasts of the last 92 days (the index partition's range read), newest first, for the operators' list.</summary>
    public async Task<OperatorList<BroadcastSummary>> ListAsync(CancellationToken cancellationToken)
        => new([.. (await store.ListSinceAsync(time.GetUtcNow().AddDays(-92), cancellationToken)).OrderByDescending(d => d.CreatedAt)
            .Select(d => new BroadcastSummary(d.Id, d.SegmentId, d.Text.Length <= 60 ? d.Text : d.Text[..60] + "…", d.CreatedAt))]);

    public async Task<Result<BroadcastView>> GetAsync(string broadcastId, CancellationToken cancellationToken)
        => await store.GetAsync(broadcastId, cancellationToken) is { } b ? await ViewAsync(b, cancellationToken) : Error.NotFound("broadcast_not_found", "No broadcast has that id.");

    public Task<IReadOnlyDictionary<string, string>> SkippedAsync(string broadcastId, CancellationToken cancellationToken) => store.SkipsAsync(broadcastId, 1000, cancellationToken);

    private async Task<BroadcastView> ViewAsync(Broadcast b, CancellationToken cancellationToken)
    {
        var tasks = await store.ListTasksAsync(b.Definition.Id, cancellationToken);
        var (purchasers, gmv) = await store.ConversionsAsync(b.Definition.Id, b.Staff, cancellationToken);
        var d = b.Definition;
        return new BroadcastView(d.Id, d.SegmentId, d.Text, d.CreatedAt, b.Stage, b.Targeted, SkipReasons.All.ToDictionary(r => r, r => b.Skipped.GetValueOrDefault(r), StringComparer.Ordinal),
            tasks.Sum(t => (long)t.Sent), tasks.Sum(t => (long)t.NotFriend), tasks.Sum(t => (long)t.AlreadyReceived), tasks.Where(t => !t.Confirmed).Sum(t => (long)(t.Recipients - t.Failed)),
            purchasers, gmv, [.. tasks.Select(t => new BroadcastTaskView(t.Staff, t.Chunk, t.State, t.Recipients, t.Failed, t.Confirmed, t.Sent, t.NotFriend, t.AlreadyReceived, t.Unsent, t.ErrorCode))]);
    }

    public Task WorkAsync(BroadcastWorkMessage message, CancellationToken cancellationToken) => message.Kind switch
    {
        BroadcastWork.Page => PageAsync(message, cancellationToken),
        BroadcastWork.Send => SendAsync(message, cancellationToken),
        _ => FollowAsync(message, cancellationToken),
    };

    private async Task PageAsync(BroadcastWorkMessage message, CancellationToken cancellationToken)
    {
        var broadcast = await store.GetAsync(message.BroadcastId, cancellationToken);
        if (broadcast is null || !broadcast.IsAt(message.Page)) return;
        var d = broadcast.Definition;
        var page = await segments.ReadMembersAsync(d.SegmentId, broadcast.Cursor, Math.Clamp(options.Value.BroadcastPageSize, 1, 1000), cancellationToken);
        var (period, limit) = CustomerCap.At(options.Value.CustomerCap, d.CreatedAt);
        var recipients = new List<BroadcastRecipient>();
        var skips = new List<(string OpenId, string Reason)>();
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(page.OpenIds.Select(async openId =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var f = await facts.GetAsync(openId, cancellationToken);
                string? reason = f switch
                {
                    null or { WecomExternalUserId: null } => SkipReasons.NoWeCom,
                    { WecomLinked: false } => SkipReasons.ContactLost,
                    _ => await cap.TryReserveAsync(f.WecomExternalUserId!, period, limit, "b|" + d.Id, cancellationToken) ? null : SkipReasons.Cap,
                };
                lock (recipients)
                {
                    if (reason is null) recipients.Add(new BroadcastRecipient(openId, f!.WecomStaff!, f.WecomExternalUserId!));
                    else skips.Add((openId, reason));
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        await store.AddRecipientsAsync(d.Id, recipients, cancellationToken);
        await store.AddSkipsAsync(d.Id, skips, cancellationToken);
        if (d.CouponCampaignId is { } campaign)
        {
            foreach (var r in recipients) await coupons.IssueAutomaticallyAsync(campaign, r.OpenId, "broadcast|" + d.Id, cancellationToken);
        }

        broadcast.RecordPage(message.Page, page.ContinuationToken, recipients.Count,
            skips.GroupBy(s => s.Reason).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), recipients.Select(r => r.Staff));
        if (!await store.TrySaveAsync(broadcast, cancellationToken)) return; // another copy counted this page
        if (broadcast.Stage == BroadcastStages.Selecting)
        {
            await messages.SendAsync(SegmentQueues.Broadcasts, message with { Page = message.Page + 1 }, cancellationToken: cancellationToken);
            return;
        }

        logger.LogInformation("Broadcast {BroadcastId}: {Targeted} targeted through {Staff} staff members", d.Id, broadcast.Targeted, broadcast.Staff.Count);
        foreach (var staff in broadcast.Staff)
        {
            await messages.SendAsync(SegmentQueues.Broadcasts, new BroadcastWorkMessage(d.Id, BroadcastWork.Send, Staff: staff), cancellationToken: cancellationToken);
        }
    }

    private async Task SendAsync(BroadcastWorkMessage message, CancellationToken cancellationToken)
    {
        var broadcast = await store.GetAsync(message.BroadcastId, cancellationToken);
        if (broadcast is null || message.Staff is not { } staff) return;
        var d = broadcast.Definition;
        var chunkSize = Math.Clamp(options.Value.BroadcastChunkSize, 1, ExternalContactAddMsgTemplateRequest.MaxExternalUserIds);
        var (ids, next) = await store.ReadRecipientsAsync(d.Id, staff, message.ContinuationToken, chunkSize, cancellationToken);
        if (ids.Count == 0) return;
        var now = time.GetUtcNow();
        var task = await store.GetTaskAsync(d.Id, staff, message.Chunk, cancellationToken);
        if (task is null)
        {
            task = new BroadcastTask(staff, message.Chunk, BroadcastTaskStates.Calling, now, ids.Count);
            if (!await store.TrySaveTaskAsync(d.Id, task, cancellationToken)) return; // another copy is calling
            try
            {
                var response = await wecom.AddMsgTemplateAsync(
                    await card.MassMessageAsync(staff, ids, d.Text, d.MiniProgramTitle, d.MiniProgramPage, cancellationToken), cancellationToken);
                task = await SaveTaskAsync(d.Id, staff, message.Chunk, t => t with { State = BroadcastTaskStates.Created, MsgId = response.MsgId, Failed = response.FailList?.Count ?? 0 }, cancellationToken);
                await messages.SendAsync(SegmentQueues.Broadcasts, new BroadcastWorkMessage(d.Id, BroadcastWork.Follow, Staff: staff, Chunk: message.Chunk), FollowDelay(0), cancellationToken);
            }
            catch (WeChatApiException e)
            {
                logger.LogWarning("add_msg_template refused broadcast {BroadcastId}'s chunk for one staff member: errcode {ErrorCode}", d.Id, e.ErrorCode);
                await SaveTaskAsync(d.Id, staff, message.Chunk, t => t with { State = BroadcastTaskStates.Refused, ErrorCode = e.ErrorCode }, cancellationToken);
            }
        }
        else if (task.State == BroadcastTaskStates.Calling)
        {
            if (now - task.At < TimeSpan.FromMinutes(2))
            {
                // Another copy is calling add_msg_template for this chunk: look again once it must have finished.
                await messages.SendAsync(SegmentQueues.Broadcasts, message, TimeSpan.FromMinutes(2) - (now - task.At) + TimeSpan.FromSeconds(5), cancellationToken);
                return;
            }

            // Its caller died mid-call: WeCom may have made the task, so it is not called again.
            await SaveTaskAsync(d.Id, staff, message.Chunk, t => t with { State = BroadcastTaskStates.Uncertain }, cancellationToken);
        }

        if (next is not null)
        {
            await messages.SendAsync(SegmentQueues.Broadcasts, message with { Chunk = message.Chunk + 1, ContinuationToken = next }, cancellationToken: cancellationToken);
        }
    }

    private async Task FollowAsync(BroadcastWorkMessage message, CancellationToken cancellationToken)
    {
        if (message.Staff is not { } staff) return;
        var task = await store.GetTaskAsync(message.BroadcastId, staff, message.Chunk, cancellationToken);
        if (task is not { State: BroadcastTaskStates.Created, MsgId: { } msgId, Confirmed: false }) return;
        var confirmed = false;
        string? cursor = null;
        do
        {
            var page = await wecom.GetGroupMsgTaskAsync(new ExternalContactGetGroupMsgTaskRequest { MsgId = msgId, Cursor = cursor }, cancellationToken);
            confirmed |= page.TaskList?.Any(t => t.UserId == staff && t.Status == GroupMsgTask.Sent) == true;
            cursor = page.NextCursor is { Length: > 0 } c ? c : null;
        }
        while (cursor is not null && !confirmed);

        if (!confirmed)
        {
            if (time.GetUtcNow() - task.At < FollowFor)
            {
                await SaveTaskAsync(message.BroadcastId, staff, message.Chunk, t => t with { Follows = t.Follows + 1 }, cancellationToken);
                await messages.SendAsync(SegmentQueues.Broadcasts, message with { Attempt = message.Attempt + 1 }, FollowDelay(message.Attempt + 1), cancellationToken);
            }

            return;
        }

        int sent = 0, notFriend = 0, already = 0, unsent = 0;
        cursor = null;
        do
        {
            var page = await wecom.GetGroupMsgSendResultAsync(new ExternalContactGetGroupMsgSendResultRequest { MsgId = msgId, UserId = staff, Cursor = cursor }, cancellationToken);
            foreach (var r in page.SendList ?? [])
            {
                switch (r.Status)
                {
                    case GroupMsgSendResult.Sent: sent++; break;
                    case GroupMsgSendResult.NotFriend: notFriend++; break;
                    case GroupMsgSendResult.AlreadyReceived: already++; break;
                    default: unsent++; break;
                }
            }

            cursor = page.NextCursor is { Length: > 0 } c ? c : null;
        }
        while (cursor is not null);

        await SaveTaskAsync(message.BroadcastId, staff, message.Chunk,
            t => t with { Confirmed = true, Sent = sent, NotFriend = notFriend, AlreadyReceived = already, Unsent = unsent, Follows = t.Follows + 1 }, cancellationToken);
        logger.LogInformation("Broadcast {BroadcastId} chunk confirmed: {Sent} sent, {NotFriend} no longer friends, {Already} over the cap", message.BroadcastId, sent, notFriend, already);
    }

    /// <summary>A purchase in the week after a broadcast the member was sent: credited once per order.</summary>
    public async Task CreditAsync(MemberFacts member, string orderNo, long amount, DateTimeOffset paidAt, CancellationToken cancellationToken)
    {
        if (member is not { WecomStaff: { } staff, WecomExternalUserId: { } external }) return;
        foreach (var b in await catalog.RecentBroadcastsAsync(cancellationToken))
        {
            // WeChat Pay's success time is whole seconds: a payment in the broadcast's own second counts.
            if (b.CreatedAt <= paidAt.AddSeconds(1) && paidAt - b.CreatedAt <= MemberEntry.CreditWindow)
            {
                await store.CreditAsync(b.Id, staff, external, orderNo, amount, cancellationToken);
            }
        }
    }

    private async Task<BroadcastTask> SaveTaskAsync(string broadcastId, string staff, int chunk, Func<BroadcastTask, BroadcastTask> change, CancellationToken cancellationToken)
        => await Optimistic.RetryAsync<BroadcastTask>("A broadcast task", async _ =>
        {
            var current = await store.GetTaskAsync(broadcastId, staff, chunk, cancellationToken) ?? throw new InvalidOperationException("The task row is gone.");
            var updated = change(current);
            return await store.TrySaveTaskAsync(broadcastId, updated, cancellationToken) ? updated : Attempt<BroadcastTask>.Again;
        }, cancellationToken);

    private TimeSpan FollowDelay(int attempt)
    {
        var first = TimeSpan.FromSeconds(Math.Clamp(options.Value.BroadcastFollowSeconds, 1, 86_400));
        var delay = first * Math.Pow(2, Math.Min(attempt, 10));
        return delay < TimeSpan.FromHours(6) ? delay : TimeSpan.FromHours(6);
    }
}
