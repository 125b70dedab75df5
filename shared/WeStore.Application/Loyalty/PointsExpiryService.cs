using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Domain.Common;
using WeStore.Domain.Loyalty;
using WeStore.Domain.Messaging;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;

namespace WeStore.Application.Loyalty;

/// <summary>
/// The daily expiry. The timer reads the expiry index for each due day (every day since the last completed one, so a
/// missed run is caught up), page by page, and sends one queue message per batch of members; it never reads the member
/// table, so its cost follows the lots that expire, and it holds one page in memory whatever the number of members.
/// The queue function expires one member's due lots in one batch. Expiring is idempotent (an expired lot is gone),
/// so re-running a day, or a message delivered twice, changes nothing; a message lost to a crash is retried by the
/// queue, and a day whose fan-out did not finish is fanned out again by the next run (its cursor did not move).
/// Reminders use the same index, for the day N days ahead, once per member and day.
/// </summary>
public sealed class PointsExpiryService(
    IPointsRepository points,
    IPointsExpiryIndex index,
    IMessageSender messages,
    WeStore.Application.Segments.MemberFactsNotifier facts,
    WeChatApiClient wechat,
    IOptions<LoyaltyOptions> options,
    IOptions<WeChatOptions> wechatOptions,
    TimeProvider time,
    ILogger<PointsExpiryService> logger)
{
    public const int MembersPerMessage = 50;
    private const int MaxLotsPerBatch = 40;
    private const string ExpiryCursor = "expiry";
    private const string ReminderCursor = "reminder";

    /// <summary>The timer: fans out every due day not yet done, then the reminders.</summary>
    public async Task<IReadOnlyList<FanOutResult>> RunAsync(CancellationToken cancellationToken)
    {
        var today = BusinessCalendar.DayOf(time.GetUtcNow());
        var results = new List<FanOutResult>();
        var lastDue = today.AddDays(-1);
        var maxDays = Math.Clamp(options.Value.MaxCatchUpDays, 1, 400);
        var from = (await index.GetCursorAsync(ExpiryCursor, cancellationToken))?.AddDays(1) ?? lastDue;
        if (lastDue.DayNumber - from.DayNumber >= maxDays) logger.LogWarning("Points expiry is {Days} days behind; catching up {Max} this run", lastDue.DayNumber - from.DayNumber + 1, maxDays);
        for (var day = from; day <= lastDue && day.DayNumber - from.DayNumber < maxDays; day = day.AddDays(1))
        {
            results.Add(await FanOutAsync(day, LoyaltyQueues.Expiry, cancellationToken));
            await index.SetCursorAsync(ExpiryCursor, day, cancellationToken);
        }

        if (!string.IsNullOrEmpty(options.Value.ReminderTemplateId))
        {
            var remindDay = today.AddDays(Math.Clamp(options.Value.ReminderDays, 1, 60));
            var next = (await index.GetCursorAsync(ReminderCursor, cancellationToken))?.AddDays(1) ?? remindDay;
            for (var day = next; day <= remindDay && day.DayNumber - next.DayNumber < maxDays; day = day.AddDays(1))
            {
                await FanOutAsync(day, LoyaltyQueues.Reminder, cancellationToken);
                await index.SetCursorAsync(ReminderCursor, day, cancellationToken);
            }
        }

        return results;
    }

    /// <summary>Streams one day of the index into member-batch messages.</summary>
    public async Task<FanOutResult> FanOutAsync(DateOnly day, string queue, CancellationToken cancellationToken)
    {
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var batch = new List<MemberLots>(MembersPerMessage);
        string? member = null;
        var lots = new List<string>();
        int lotCount = 0, memberCount = 0, messageCount = 0;

        async Task FlushAsync(bool all)
        {
            if (batch.Count == 0 || (!all && batch.Count < MembersPerMessage)) return;
            await messages.SendAsync(queue, new PointsExpiryMessage(dayText, [.. batch]), cancellationToken: cancellationToken);
            messageCount++;
            batch.Clear();
        }

        await foreach (var page in index.ReadPagesAsync(day, cancellationToken))
        {
            foreach (var entry in page)
            {
                lotCount++;
                if (entry.OpenId != member)
                {
                    if (member is not null)
                    {
                        batch.Add(new MemberLots(member, [.. lots]));
                        await FlushAsync(all: false);
                    }

                    member = entry.OpenId;
                    memberCount++;
                    lots.Clear();
                }

                lots.Add(entry.LotKey);
            }
        }

        if (member is not null) batch.Add(new MemberLots(member, [.. lots]));
        await FlushAsync(all: true);
        logger.LogInformation("Points {Queue} for {Day}: {Lots} lots of {Members} members in {Messages} messages", queue, dayText, lotCount, memberCount, messageCount);
        return new FanOutResult(dayText, lotCount, memberCount, messageCount);
    }

    /// <summary>The queue function: expires each member's due lots (a batch per member).</summary>
    public async Task ExpireAsync(PointsExpiryMessage message, CancellationToken cancellationToken)
    {
        using var activity = WeStore.Application.Telemetry.WeStoreTelemetry.Start("points.expire");
        activity?.SetTag("westore.points.members", message.Members.Count);
        var day = DateOnly.ParseExact(message.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rules = options.Value.ToRules();
        foreach (var member in message.Members)
        {
            // One batch of due lots per round; more than one batch's worth goes round again for the rest.
            while (await ExpireOneBatchAsync(member, day, rules, message.Day, cancellationToken))
            {
            }

            await facts.NotifyAsync(new(member.OpenId, WeStore.Application.Segments.FactChanges.Points, time.GetUtcNow(), "expiry|" + message.Day), cancellationToken);
        }
    }

    /// <summary>Expires up to one batch of the member's due lots; true when more remain.</summary>
    private Task<bool> ExpireOneBatchAsync(MemberLots member, DateOnly day, LoyaltyRules rules, string dayText, CancellationToken cancellationToken)
        => Optimistic.RetryAsync<bool>("A member's points during expiry", async _ =>
        {
            var account = await points.GetAsync(member.OpenId, cancellationToken);
            var now = time.GetUtcNow();
            var expired = account.ExpireDue(member.LotKeys, day, now, MaxLotsPerBatch);
            if (!account.HasChanges) return false;
            account.RecomputeTier(now, rules);
            if (await points.TrySaveAsync(account, marker: null, cancellationToken) != PointsSave.Saved) return Attempt<bool>.Again;
            WeStore.Application.Telemetry.WeStoreTelemetry.PointsExpired.Add(expired);
            logger.LogInformation("Expired {Points} points of a member for {Day}", expired, dayText);
            return account.HasDue(member.LotKeys, day);
        }, cancellationToken);

    /// <summary>The reminder queue function: one subscription message per member and expiry day.</summary>
    public async Task RemindAsync(PointsExpiryMessage message, CancellationToken cancellationToken)
    {
        var templateId = options.Value.ReminderTemplateId;
        if (string.IsNullOrEmpty(templateId)) return;
        var day = DateOnly.ParseExact(message.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var member in message.Members)
        {
            var account = await points.GetAsync(member.OpenId, cancellationToken);
            var expiring = account.Lots.Where(l => l.ExpiresOn == day).Sum(l => l.Remaining);
            if (expiring <= 0) continue;
            var marker = "remind|" + message.Day;
            if (!await points.TryAddMarkerAsync(member.OpenId, marker, cancellationToken)) continue;
            try
            {
                await wechat.SendSubscribeMessageAsync(new CgiBinMessageSubscribeSendRequest
                {
                    ToUser = member.OpenId,
                    TemplateId = templateId,
                    Page = options.Value.ReminderPage,
                    MiniProgramState = wechatOptions.Value.MiniProgramState,
                    Data = new Dictionary<string, SubscribeValue>
                    {
                        ["number1"] = new(expiring.ToString(CultureInfo.InvariantCulture)),
                        ["date2"] = new(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                        ["thing3"] = new("积分即将过期，快来使用吧"),
                    },
                }, cancellationToken);
            }
            catch (WeChatApiException e) when (e.ErrorCode == WeChatErrorCodes.UserRefusedSubscription)
            {
                // Not subscribed (or no grant left): nothing to send, and nothing to retry.
                logger.LogInformation("A member has no subscription for the points reminder (43101)");
            }
            catch (WeChatApiException e)
            {
                logger.LogWarning("The points reminder was refused: {ErrorCode} {ErrorMessage}", e.ErrorCode, e.ErrorMessage);
            }
            catch (WeChatUnavailableException)
            {
                // Let the queue retry this member: the marker goes, so the retry sends.
                await points.RemoveMarkerAsync(member.OpenId, marker, CancellationToken.None);
                throw;
            }
        }
    }
}
