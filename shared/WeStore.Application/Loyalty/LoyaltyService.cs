using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Auth;
using WeStore.Domain.Common;
using WeStore.Domain.Loyalty;
using WeStore.Domain.Orders;

namespace WeStore.Application.Loyalty;

/// <summary>A points spend prepared for an order: the account with the spend applied (saved with the order) and the takes.</summary>
public sealed record PreparedSpend(PointsAccount Account, IReadOnlyList<LotTake> Takes, long Points, long Discount);

/// <summary>
/// Points on the member's side: earned when an order is paid, spent at checkout (with the order, in its batch),
/// given back when an unpaid order closes, clawed back on refund. Each operation is a read of the account and one
/// batch in the member's partition, written under the account's version and, where it must happen once, with a marker.
/// </summary>
public sealed class LoyaltyService(
    IPointsRepository points, IPointsExpiryIndex index, IOptions<LoyaltyOptions> options, TimeProvider time, ILogger<LoyaltyService> logger)
{
    public LoyaltyRules Rules => options.Value.ToRules();

    /// <summary>The order-paid step: a lot for the order's points, idempotent by order number.</summary>
    public async Task EarnAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.PaidAmount <= 0 || order.PaidAt is not { } paidAt) return;
        var rules = Rules;
        await Optimistic.RetryAsync($"The points account of order {order.OrderNo}'s member", async _ =>
        {
            var account = await points.GetAsync(order.OpenId, cancellationToken);
            if (account.LotFrom(order.OrderNo) is not null) return true;
            var earned = account.Earn(order.OrderNo, order.PaidAmount, paidAt, rules);
            if (account.LotFrom(order.OrderNo) is { } lot && earned > 0)
            {
                // The index entry first: a lot is never without one (an entry without its lot is skipped by the run).
                await index.AddAsync(lot.ExpiresOn, order.OpenId, lot.Key, cancellationToken);
            }

            var saved = await points.TrySaveAsync(account, new PointsMarker("earn|" + order.OrderNo, earned), cancellationToken);
            if (saved == PointsSave.Saved) logger.LogInformation("Order {OrderNo} earned {Points} points (tier {Tier})", order.OrderNo, earned, account.Tier);
            return saved != PointsSave.Conflict;
        }, cancellationToken);
    }

    /// <summary>Checks and applies a checkout spend; the caller saves it with the order.</summary>
    public async Task<Result<PreparedSpend>> PrepareSpendAsync(string openId, string orderNo, long pointsToUse, long payableBeforePoints, CancellationToken cancellationToken)
    {
        var rules = Rules;
        var max = rules.MaxPointsFor(payableBeforePoints);
        if (pointsToUse > max)
        {
            return Error.Invalid("points_over_limit", $"This order can use at most {max} points ({rules.MaxShareOfOrderPercent}% of its amount).");
        }

        var account = await points.GetAsync(openId, cancellationToken);
        var now = time.GetUtcNow();
        if (pointsToUse > account.AvailableAt(now))
        {
            return Error.Conflict("points_insufficient", $"Only {account.AvailableAt(now)} points are available.");
        }

        var takes = account.Spend(orderNo, pointsToUse, now);
        return new PreparedSpend(account, takes, pointsToUse, checked(pointsToUse * rules.FenPerPoint));
    }

    /// <summary>An order that ended unpaid gives its points back, once.</summary>
    public async Task ReleaseAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.PointsUsed <= 0) return;
        await Optimistic.RetryAsync($"The points account of order {order.OrderNo}'s member", async _ =>
        {
            var account = await points.GetAsync(order.OpenId, cancellationToken);
            account.Release(order.OrderNo, order.PointsTakes, time.GetUtcNow());
            return await points.TrySaveAsync(account, new PointsMarker("release|" + order.OrderNo, order.PointsUsed), cancellationToken) != PointsSave.Conflict;
        }, cancellationToken);
    }

    /// <summary>A successful refund takes back what the order earned, pro rata, once per refund.</summary>
    public async Task ClawBackAsync(Order order, string outRefundNo, long refundAmount, CancellationToken cancellationToken)
    {
        if (order.PaidAmount <= 0 || order.PaidAt is not { } paidAt || refundAmount <= 0) return;
        var earned = (await points.GetMarkerAsync(order.OpenId, "earn|" + order.OrderNo, cancellationToken))?.Value ?? 0;
        var owed = earned * Math.Min(refundAmount, order.PaidAmount) / order.PaidAmount;
        await Optimistic.RetryAsync($"The points account of order {order.OrderNo}'s member", async _ =>
        {
            var account = await points.GetAsync(order.OpenId, cancellationToken);
            var taken = account.ClawBack(order.OrderNo, outRefundNo, owed, refundAmount, paidAt, time.GetUtcNow());
            account.RecomputeTier(time.GetUtcNow(), Rules);
            var saved = await points.TrySaveAsync(account, new PointsMarker("clawback|" + outRefundNo, taken), cancellationToken);
            if (saved == PointsSave.Saved && taken < owed)
            {
                logger.LogWarning("Refund {OutRefundNo} of {OrderNo}: {Owed} points owed, {Taken} clawed back, the rest recorded as shortfall", outRefundNo, order.OrderNo, owed, taken);
            }

            return saved != PointsSave.Conflict;
        }, cancellationToken);
    }

    /// <summary>Points given once per <paramref name="source"/> (a referral reward), as a lot with the usual expiry.</summary>
    public Task GrantAsync(string openId, string source, long amount, CancellationToken cancellationToken)
        => amount <= 0 ? Task.CompletedTask : Optimistic.RetryAsync($"The points account of a member rewarded for {source}", async _ =>
        {
            var account = await points.GetAsync(openId, cancellationToken);
            if (account.LotFrom(source) is not null) return true;
            var now = time.GetUtcNow();
            account.Grant(source, amount, now, Rules);
            if (account.LotFrom(source) is { } lot) await index.AddAsync(lot.ExpiresOn, openId, lot.Key, cancellationToken);
            return await points.TrySaveAsync(account, new PointsMarker("grant|" + source, amount), cancellationToken) != PointsSave.Conflict;
        }, cancellationToken);

    /// <summary>
    /// Takes back points granted for <paramref name="source"/>, once: from that lot first, then the lots that expire
    /// first, never below zero (the rest is recorded as shortfall, settled by the next points earned). Returns what was taken.
    /// </summary>
    public async Task<long> RevokeAsync(string openId, string source, CancellationToken cancellationToken)
    {
        var granted = (await points.GetMarkerAsync(openId, "grant|" + source, cancellationToken))?.Value ?? 0;
        if (granted <= 0) return 0;
        if (await points.GetMarkerAsync(openId, "revoke|" + source, cancellationToken) is { } done) return done.Value;
        return await Optimistic.RetryAsync<long>($"The points account of a member rewarded for {source}", async _ =>
        {
            var account = await points.GetAsync(openId, cancellationToken);
            var now = time.GetUtcNow();
            var taken = account.ClawBack(source, "revoke|" + source, granted, refundedFen: 0, now, now);
            var saved = await points.TrySaveAsync(account, new PointsMarker("revoke|" + source, taken), cancellationToken);
            if (saved == PointsSave.Saved && taken < granted) logger.LogWarning("{Points} points granted for {Source}: {Taken} taken back, the rest recorded as shortfall", granted, source, taken);
            return saved == PointsSave.Conflict ? Attempt<long>.Again : taken;
        }, cancellationToken);
    }

    public async Task<PointsView> ViewAsync(MemberSession member, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var account = await points.GetAsync(member.OpenId, cancellationToken);
        var ledger = await points.ReadLedgerAsync(member.OpenId, continuationToken, pageSize, cancellationToken);
        var now = time.GetUtcNow();
        var today = BusinessCalendar.DayOf(now);
        var soon = account.Lots.Where(l => l.Remaining > 0 && l.ExpiresOn >= today && l.ExpiresOn <= today.AddDays(30))
            .Select(l => new PointsLotView(l.Remaining, l.ExpiresOn, l.Source)).ToList();
        return new PointsView(account.Balance, account.AvailableAt(now), Rules.TierFor(account.RollingSpend(now)).Name, account.RollingSpend(now), soon,
            [.. ledger.Entries.Select(e => new PointsLedgerView(e.Kind, e.Delta, e.BalanceAfter, e.Reference, e.At))], ledger.ContinuationToken);
    }
}
