using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.Domain.Coupons;
using WeStore.Domain.Loyalty;
using WeStore.Domain.Members;
using WeStore.Domain.Messaging;
using WeStore.Domain.Segments;

namespace WeStore.Application.Segments;

/// <summary>
/// The one consumer of facts changes. It reads the member's facts row, applies the change (pulling the points
/// account or the wallet when those changed, since they are the authorities), re-evaluates every segment on the new
/// facts, and saves the row under its version. Then it makes the member's membership rows match what the facts
/// decided (only the segments whose answer changed, each one batch in the segment's partition), starts the flows the
/// change triggered, credits a purchase to the flows and broadcasts of the week before, and mirrors the lifecycle
/// stage to WeCom. Its cost is the member's own rows, whatever the number of members: it never scans.
/// </summary>
public sealed class MemberFactsService(
    IMemberFactsStore store,
    ISegmentStore segments,
    SegmentCatalog catalog,
    IMemberRepository members,
    IMemberAttributionRepository attributions,
    IPointsRepository points,
    ICouponRepository coupons,
    FlowService flows,
    BroadcastService broadcasts,
    IMessageSender messages,
    IOptions<SegmentsOptions> options,
    TimeProvider time,
    ILogger<MemberFactsService> logger)
{
    private sealed record Applied(MemberFacts Facts, bool Tag);

    public async Task ApplyAsync(MemberFactsMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rules = options.Value.StageRules;
        var definitions = await catalog.SegmentsAsync(cancellationToken);
        var flowDefinitions = await catalog.FlowsAsync(cancellationToken);
        var key = message.Key;

        var applied = await Optimistic.RetryAsync<Applied?>("A member's facts", async _ =>
        {
            var facts = await store.GetAsync(message.OpenId, cancellationToken) ?? MemberFacts.New(message.OpenId);
            var changed = facts.Version is null;
            var joinedBefore = facts.JoinedAt is not null;
            var paidBefore = facts.PaidOrderCount;
            if (facts.JoinedAt is null)
            {
                if (await members.GetAsync(message.OpenId, cancellationToken) is not { } member) return (Applied?)null;
                changed |= facts.Join(member.FirstSeenAt);
            }

            if (facts.AcquisitionChannel is null && await attributions.GetAsync(message.OpenId, cancellationToken) is { Acquisition: { } touch })
            {
                changed |= facts.SetAcquisition(touch.Channel, touch.SceneId);
            }

            var triggers = new List<(string Trigger, string Occurrence, string? SegmentId)>();
            switch (message.Change)
            {
                case FactChanges.Paid when message.Ref is { } orderNo:
                    changed |= facts.RecordPaid(orderNo, message.At, message.Province);
                    changed |= await PullPointsAsync(facts, cancellationToken);
                    changed |= await PullCouponsAsync(facts, cancellationToken);
                    break;
                case FactChanges.Coupons:
                    changed |= await PullCouponsAsync(facts, cancellationToken);
                    break;
                case FactChanges.Points:
                    changed |= await PullPointsAsync(facts, cancellationToken);
                    break;
                case FactChanges.Refunded or FactChanges.Joined:
                    changed |= await PullPointsAsync(facts, cancellationToken);
                    changed |= await PullCouponsAsync(facts, cancellationToken);
                    break;
                case FactChanges.WecomAdded or FactChanges.WecomLost when message is { StaffUserId: { } staff, ExternalUserId: { } external }:
                    var linked = message.Change == FactChanges.WecomAdded;
                    if (facts.SetWeCom(staff, external, linked, message.At))
                    {
                        changed = true;
                        if (linked) triggers.Add((FlowTriggers.WecomAdded, $"w|{external}|{staff}|{message.At.ToUnixTimeSeconds()}", null));
                    }

                    break;
                case FactChanges.Followed or FactChanges.Unfollowed:
                    changed |= facts.SetFollower(message.Change == FactChanges.Followed, message.At);
                    break;
            }

            if (!joinedBefore && facts.JoinedAt is not null) triggers.Add((FlowTriggers.Joined, "joined", null));
            if (paidBefore == 0 && facts.PaidOrderCount > 0) triggers.Add((FlowTriggers.FirstPurchase, "first", null));

            var pendingBefore = facts.Pending.Count;
            foreach (var segmentId in facts.Reevaluate(definitions, now, rules))
            {
                triggers.Add((FlowTriggers.EnteredSegment, $"s|{segmentId}|{facts.Segments[segmentId]}", segmentId));
            }

            changed |= facts.Pending.Count != pendingBefore;
            foreach (var (trigger, occurrence, segmentId) in triggers)
            {
                foreach (var flow in flowDefinitions.Where(f => f.Trigger == trigger && (segmentId is null || f.SegmentId == segmentId) && f.CreatedAt <= message.At.AddMinutes(1)))
                {
                    facts.Enter(new MemberEntry(MemberEntry.Flow, flow.Id, occurrence, key, message.At), now);
                    changed = true;
                }
            }

            var stage = facts.StageAt(now, rules);
            var tag = facts.WecomLinked && facts.TaggedStage != stage;
            if (tag)
            {
                facts.MarkTagged(stage);
                changed = true;
            }

            var next = facts.NextTimeChange(now, rules, definitions);
            // The day after the change: the daily run early that morning then finds it has happened.
            var dueDay = next is { } n ? BusinessCalendar.DayOf(n).AddDays(1) : (DateOnly?)null;
            if (dueDay != facts.DueDay)
            {
                // Written before the facts: a day index row left by a failed save only causes a look that finds nothing.
                if (dueDay is { } day) await store.ScheduleAsync(day, facts.OpenId, cancellationToken);
                facts.ScheduleFor(dueDay);
                changed = true;
            }

            if (!changed) return new Applied(facts, false);
            return await store.TrySaveAsync(facts, cancellationToken) ? new Applied(facts, tag) : Attempt<Applied?>.Again;
        }, cancellationToken);

        if (applied is null)
        {
            logger.LogWarning("A facts change ({Change}) for a member that does not exist was dropped", message.Change);
            return;
        }

        var facts = applied.Facts;
        facts = await SyncMembershipAsync(facts, definitions, cancellationToken);

        // The flows this change entered (also when this is a retry of a change whose save succeeded).
        foreach (var entry in facts.Entries.Where(e => e.EventKey == key))
        {
            await flows.StartAsync(entry.Id, facts.OpenId, entry.Occurrence, entry.At, cancellationToken);
        }

        if (message is { Change: FactChanges.Paid, Ref: { } paidOrder, AmountFen: { } amount })
        {
            foreach (var entry in facts.EntriesCreditedBy(message.At).Where(e => e.EventKey != key))
            {
                await flows.CreditAsync(entry.Id, facts.OpenId, entry.Occurrence, paidOrder, amount, cancellationToken);
            }

            await broadcasts.CreditAsync(facts, paidOrder, amount, message.At, cancellationToken);
        }

        if (applied.Tag && facts.WecomStaff is { } tagStaff && facts.WecomExternalUserId is { } tagExternal)
        {
            await messages.SendAsync(SegmentQueues.WeComTags, new WeComTagMessage(facts.OpenId, tagStaff, tagExternal, facts.TaggedStage!), cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// Makes the membership rows of the pending segments match the facts, then clears them under the facts' version.
    /// A writer that lost that race syncs the same segments again from the newer facts, so a sync from stale facts is
    /// always followed by one from the latest: the last writer syncs after its save, and any earlier one checks after.
    /// </summary>
    private async Task<MemberFacts> SyncMembershipAsync(MemberFacts facts, IReadOnlyList<SegmentDefinition> definitions, CancellationToken cancellationToken)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < 5; round++)
        {
            var toSync = facts.Pending.Union(touched).ToList();
            if (toSync.Count == 0) return facts;
            var known = definitions.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var segmentId in toSync)
            {
                if (!known.Contains(segmentId) && await segments.GetAsync(segmentId, cancellationToken) is null)
                {
                    facts.Forget(segmentId);
                    continue;
                }

                if (facts.Segments.ContainsKey(segmentId)) await segments.AddMemberAsync(segmentId, facts.OpenId, cancellationToken);
                else await segments.RemoveMemberAsync(segmentId, facts.OpenId, cancellationToken);
            }

            touched.UnionWith(toSync);
            var version = facts.Version;
            if (facts.Pending.Count > 0)
            {
                facts.ClearPending(toSync);
                if (await store.TrySaveAsync(facts, cancellationToken)) return facts;
            }

            var latest = await store.GetAsync(facts.OpenId, cancellationToken);
            if (latest is null || latest.Version == version) return facts;
            facts = latest;
        }

        logger.LogWarning("A member's segment membership kept changing while it was written; the next change syncs it");
        return facts;
    }

    private async Task<bool> PullPointsAsync(MemberFacts facts, CancellationToken cancellationToken)
    {
        var account = await points.GetAsync(facts.OpenId, cancellationToken);
        return facts.SetPoints(account.Balance, account.Tier, account.MonthlySpend);
    }

    private async Task<bool> PullCouponsAsync(MemberFacts facts, CancellationToken cancellationToken)
    {
        var wallet = await coupons.ListAsync(facts.OpenId, cancellationToken);
        return facts.SetCoupons(wallet.Where(c => c.State == CouponState.Available).ToDictionary(c => c.Id, c => c.ValidTo, StringComparer.Ordinal));
    }
}
