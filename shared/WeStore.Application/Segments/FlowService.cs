using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Coupons;
using WeStore.Application.WeCom;
using WeStore.Domain.Common;
using WeStore.Domain.Messaging;
using WeStore.Domain.Notifications;
using WeStore.Domain.Segments;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.Segments;

public sealed record CreateFlowCommand(string Name, string Trigger, string? SegmentId, IReadOnlyList<FlowStep> Steps, IReadOnlyList<string> StopWhen);

public sealed record FlowView(string Id, string Name, string Trigger, string? SegmentId, IReadOnlyList<FlowStep> Steps, IReadOnlyList<string> StopWhen, DateTimeOffset CreatedAt,
    long Entered, long Running, IReadOnlyDictionary<string, long> Stopped, long Finished, long PurchasedWithin7Days, long PurchasedGmv);

/// <summary>
/// Lifecycle flows. A member's run is a chain of delayed queue messages, one per step, each due at its hours after
/// entering (a wait past the queue's 7 days goes round again). At each step the stop conditions are checked on the
/// member's facts. A WeCom message step is claimed under the run's version first, so of any number of copies one
/// sends, and at most once: a claim whose holder died is taken over without sending again (WeCom may have made the
/// task). Coupons (by member and step) and subscription messages (the grant taken once per send) are idempotent, so
/// copies may both act; the run's version lets one of them advance it.
/// </summary>
public sealed class FlowService(
    IFlowStore store,
    ISegmentStore segments,
    IMemberFactsStore facts,
    SegmentCatalog catalog,
    ICustomerMessageCap cap,
    ISubscriptionGrants grants,
    CouponIssuance coupons,
    WeComApiClient wecom,
    WelcomeCard card,
    WeChatApiClient wechat,
    IMessageSender messages,
    IOptions<SegmentsOptions> options,
    IOptions<WeChatOptions> wechatOptions,
    TimeProvider time,
    ILogger<FlowService> logger)
{
    private const int MaxWaits = 100;

    public async Task<Result<FlowView>> CreateAsync(CreateFlowCommand command, CancellationToken cancellationToken)
    {
        if (command.SegmentId is { } segmentId && await segments.GetAsync(segmentId, cancellationToken) is null)
        {
            return Error.NotFound("segment_not_found", "No segment has that id.");
        }

        var flow = new FlowDefinition("fl" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), command.Name, command.Trigger, command.SegmentId,
            command.Steps, command.StopWhen, time.GetUtcNow());
        await store.CreateAsync(flow, cancellationToken);
        catalog.Invalidate();
        logger.LogInformation("Flow {FlowId} created, trigger {Trigger}, {Steps} steps", flow.Id, flow.Trigger, flow.Steps.Count);
        return await ViewAsync(flow, cancellationToken);
    }

    /// <summary>Every flow's definition, newest first, for the operators' list.</summary>
    public async Task<OperatorList<FlowSummary>> ListAsync(CancellationToken cancellationToken)
        => new([.. (await store.ListAsync(cancellationToken)).OrderByDescending(d => d.CreatedAt).Select(d => new FlowSummary(d.Id, d.Name, d.Trigger, d.Steps.Count, d.CreatedAt))]);

    public async Task<Result<FlowView>> GetAsync(string flowId, CancellationToken cancellationToken)
        => await store.GetAsync(flowId, cancellationToken) is { } flow ? await ViewAsync(flow, cancellationToken) : Error.NotFound("flow_not_found", "No flow has that id.");

    private async Task<FlowView> ViewAsync(FlowDefinition flow, CancellationToken cancellationToken)
    {
        var s = await store.StatsAsync(flow.Id, cancellationToken);
        return new FlowView(flow.Id, flow.Name, flow.Trigger, flow.SegmentId, flow.Steps, flow.StopWhen, flow.CreatedAt, s.Entered, s.Running, s.Stopped, s.Finished, s.Purchasers, s.Gmv);
    }

    /// <summary>Enters the member into the flow for one occurrence (once), and sends its first step on its way.</summary>
    public async Task StartAsync(string flowId, string openId, string occurrence, DateTimeOffset enteredAt, CancellationToken cancellationToken)
    {
        if (await catalog.FlowAsync(flowId, cancellationToken) is not { Steps.Count: > 0 } flow) return;
        var run = FlowRun.Enter(flowId, openId, occurrence, enteredAt);
        if (await store.TryAddRunAsync(run, cancellationToken))
        {
            await SendStepAsync(flow, run, 0, cancellationToken);
            return;
        }

        // Entered before: a start that died between the two writes left its first step unsent. Another copy is harmless.
        if (await store.GetRunAsync(flowId, openId, occurrence, cancellationToken) is { State: FlowRunState.Running, Step: 0, ClaimStep: null } existing)
        {
            await SendStepAsync(flow, existing, 0, cancellationToken);
        }
    }

    public async Task StepAsync(FlowStepMessage message, CancellationToken cancellationToken)
    {
        var flow = await catalog.FlowAsync(message.FlowId, cancellationToken);
        var run = await store.GetRunAsync(message.FlowId, message.OpenId, message.Occurrence, cancellationToken);
        if (flow is null || run is null || run.State != FlowRunState.Running || message.Step >= flow.Steps.Count) return;
        var now = time.GetUtcNow();
        if (run.Step == message.Step - 1)
        {
            // Sent before the step before it finished saving (whose message is still there until it does): look again
            // shortly, a bounded number of times.
            if (message.Waits < MaxWaits) await messages.SendAsync(SegmentQueues.FlowSteps, message with { Waits = message.Waits + 1 }, TimeSpan.FromSeconds(5), cancellationToken);
            return;
        }

        if (run.Step != message.Step) return;
        var due = flow.DueAt(run.EnteredAt, message.Step);
        if (due > now.AddSeconds(1))
        {
            await messages.SendAsync(SegmentQueues.FlowSteps, message, Min(due - now, options.Value.StepWaitCap), cancellationToken);
            return;
        }

        var member = await facts.GetAsync(message.OpenId, cancellationToken);
        if (StopReason(flow, run, member) is { } reason)
        {
            if (await store.TrySaveRunAsync(run, run.Stop(reason), cancellationToken)) logger.LogInformation("A run of flow {FlowId} stopped at step {Step}: {Reason}", flow.Id, message.Step, reason);
            return;
        }

        // A WeCom message is claimed first, so it goes out at most once; a coupon (by member and step) and a
        // subscription message (its grant taken once per send id) are idempotent, so copies may both act.
        var takeover = false;
        if (flow.Steps[message.Step].Action.Type == FlowActionTypes.WecomMessage)
        {
            if (!run.TryClaim(message.Step, now, TimeSpan.FromSeconds(Math.Clamp(options.Value.FlowStepLeaseSeconds, 5, 3600)), out takeover)) return;
            if (!await store.TrySaveRunAsync(run, null, cancellationToken)) return;
        }

        var result = await ActAsync(flow, run, message.Step, member, takeover, cancellationToken);
        if (message.Step + 1 < flow.Steps.Count) await SendStepAsync(flow, run, message.Step + 1, cancellationToken);
        var delta = run.CompleteStep(message.Step, result, flow.Steps.Count);
        if (!await store.TrySaveRunAsync(run, delta, cancellationToken))
        {
            logger.LogInformation("A run of flow {FlowId} moved on while step {Step} ran (another copy, or its claim ran out)", flow.Id, message.Step);
            return;
        }

        logger.LogInformation("Flow {FlowId} step {Step}: {Result}", flow.Id, message.Step, result);
    }

    /// <summary>A purchase in the week after the member entered: credited to the run once per order.</summary>
    public Task CreditAsync(string flowId, string openId, string occurrence, string orderNo, long amount, CancellationToken cancellationToken)
        => Optimistic.RetryAsync<bool>("A flow run's credit", async _ =>
        {
            var run = await store.GetRunAsync(flowId, openId, occurrence, cancellationToken);
            if (run?.Credit(orderNo, amount) is not { } delta) return true;
            return await store.TrySaveRunAsync(run, delta, cancellationToken) ? true : Attempt<bool>.Again;
        }, cancellationToken);

    private static string? StopReason(FlowDefinition flow, FlowRun run, MemberFacts? member)
    {
        if (member is null) return null;
        foreach (var stop in flow.StopWhen)
        {
            var holds = stop switch
            {
                StopReasons.Purchased => member.LastPaidAt > run.EnteredAt,
                StopReasons.ContactLost => member.WecomExternalUserId is not null && !member.WecomLinked,
                StopReasons.LeftSegment => flow.SegmentId is { } s && !member.Segments.ContainsKey(s),
                _ => false,
            };
            if (holds) return stop;
        }

        return null;
    }

    private async Task<string> ActAsync(FlowDefinition flow, FlowRun run, int step, MemberFacts? member, bool takeover, CancellationToken cancellationToken)
    {
        var action = flow.Steps[step].Action;
        var sendId = SendId(run, step);
        switch (action.Type)
        {
            case FlowActionTypes.Coupon:
                await coupons.IssueAutomaticallyAsync(action.CouponCampaignId!, run.OpenId, sendId, cancellationToken);
                return "issued";
            case FlowActionTypes.WecomMessage:
                if (takeover) return "uncertain";
                if (member is not { WecomLinked: true, WecomStaff: { } staff, WecomExternalUserId: { } external }) return "skipped:noContact";
                var (period, limit) = CustomerCap.At(options.Value.CustomerCap, time.GetUtcNow());
                if (!await cap.TryReserveAsync(external, period, limit, sendId, cancellationToken)) return "skipped:cap";
                try
                {
                    var sent = await wecom.AddMsgTemplateAsync(
                        await card.MassMessageAsync(staff, [external], action.Text!, action.MiniProgramTitle, action.MiniProgramPage, cancellationToken), cancellationToken);
                    return sent.FailList?.Contains(external, StringComparer.Ordinal) == true ? "failed:notSent" : "sent:" + sent.MsgId;
                }
                catch (WeChatApiException e)
                {
                    logger.LogWarning("add_msg_template refused a flow message: errcode {ErrorCode}", e.ErrorCode);
                    return "failed:" + e.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

            default:
                if (takeover) return "uncertain";
                if (!await grants.TryTakeAsync(run.OpenId, action.TemplateId!, sendId, cancellationToken)) return "skipped:noGrant";
                try
                {
                    await wechat.SendSubscribeMessageAsync(new CgiBinMessageSubscribeSendRequest
                    {
                        ToUser = run.OpenId, TemplateId = action.TemplateId!, Page = action.Page, MiniProgramState = wechatOptions.Value.MiniProgramState,
                        Data = (action.Data ?? new Dictionary<string, string>()).ToDictionary(d => d.Key, d => new SubscribeValue(d.Value)),
                    }, cancellationToken);
                    return "sent";
                }
                catch (WeChatApiException e)
                {
                    logger.LogInformation("A flow's subscription message was refused: errcode {ErrorCode}", e.ErrorCode);
                    return "failed:" + e.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (WeChatUnavailableException)
                {
                    await grants.GiveBackAsync(run.OpenId, action.TemplateId!, sendId, cancellationToken);
                    return "failed:unavailable";
                }
        }
    }

    /// <summary>A short id for one member's step of one run: the coupon's idempotency key and the cap's marker.</summary>
    private static string SendId(FlowRun run, int step)
        => "f" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{run.FlowId}|{run.OpenId}|{run.Occurrence}|{step}")))[..32].ToLowerInvariant();

    private Task SendStepAsync(FlowDefinition flow, FlowRun run, int step, CancellationToken cancellationToken)
    {
        var wait = flow.DueAt(run.EnteredAt, step) - time.GetUtcNow();
        return messages.SendAsync(SegmentQueues.FlowSteps, new FlowStepMessage(flow.Id, run.OpenId, run.Occurrence, step),
            wait > TimeSpan.Zero ? Min(wait, options.Value.StepWaitCap) : null, cancellationToken);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
