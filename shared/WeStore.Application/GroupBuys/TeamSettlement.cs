using Microsoft.Extensions.Logging;
using WeStore.Application.Orders;
using WeStore.Application.Payments;
using WeStore.Domain.Common;
using WeStore.Domain.GroupBuys;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;

namespace WeStore.Application.GroupBuys;

/// <summary>
/// How a team ends. A payment marks its seat paid; the last seat paid before the deadline wins the team and releases
/// every seat's order to shipping. The <c>team-timeout</c> message, at the deadline, fails a team not won: its unpaid
/// orders are closed (at WeChat Pay first, so one paid meanwhile takes the paid path), each paid order is refunded in
/// full against itself (out_refund_no from its number) and its unit restocked, the group-buy's stock comes back, and the message repeats,
/// backing off, until every refund is final and succeeded; a refund WeChat Pay closed is asked again under a new number.
/// </summary>
public sealed class TeamSettlement(
    IGroupBuyStore store,
    IOrderRepository orders,
    IOrderIndex index,
    WeStore.Domain.Catalog.IStockRepository stock,
    OrderLifecycleService lifecycle,
    RefundService refunds,
    TeamSeats seats,
    IMessageSender messages,
    Microsoft.Extensions.Options.IOptions<GroupBuyOptions> options,
    TimeProvider time,
    ILogger<TeamSettlement> logger)
{
    public const string RefundReason = "拼团未成团，全额退款";

    /// <summary>1, 2, 4 … 30 minutes between settlement rounds of a failed team.</summary>
    public static TimeSpan SettleDelay(int attempt) => TimeSpan.FromMinutes(Math.Min(30, 1 << Math.Min(attempt, 5)));

    /// <summary>The order-paid step of a group-buy order.</summary>
    public async Task OnPaidAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.Team is not { } seat) return;
        var (team, payment) = await Optimistic.RetryAsync<(Team?, SeatPayment)>($"Team {seat.TeamId}", async _ =>
        {
            var current = await store.GetTeamAsync(seat.TeamId, cancellationToken);
            if (current is null) return (null, SeatPayment.NoSeat);
            var outcome = current.MarkPaid(order.OrderNo, order.PaidAt ?? time.GetUtcNow(), time.GetUtcNow());
            if (outcome is SeatPayment.AlreadyPaid or SeatPayment.NoSeat) return (current, outcome);
            return await store.TrySaveTeamAsync(current, cancellationToken) ? (current, outcome) : Attempt<(Team?, SeatPayment)>.Again;
        }, cancellationToken, Optimistic.HotRowAttempts, attempt => TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 20))));

        if (team is null || payment == SeatPayment.NoSeat)
        {
            logger.LogError("Order {OrderNo} was paid for team {TeamId}, which holds no seat for it; it needs an operator", order.OrderNo, seat.TeamId);
            return;
        }

        if (team.Status == TeamStatus.Won)
        {
            // The winning payment releases every seat's order; a repeat (or a later payment's step) finishes a release a crash interrupted.
            if (payment == SeatPayment.Won) logger.LogInformation("Team {TeamId} won: {Size} seats paid", team.Id, team.Size);
            foreach (var s in team.Seats) await ReleaseToShipAsync(s.OpenId, s.OrderNo, cancellationToken);
            return;
        }

        if (payment == SeatPayment.MustRefund || team.Status == TeamStatus.Failed)
        {
            await messages.SendAsync(GroupBuyQueues.TeamTimeout, new TeamTimeoutMessage(team.Id, team.GroupBuyId), cancellationToken: cancellationToken);
        }
    }

    /// <summary>The <c>team-timeout</c> consumer.</summary>
    public async Task HandleTimeoutAsync(TeamTimeoutMessage message, CancellationToken cancellationToken)
    {
        var team = await store.GetTeamAsync(message.TeamId, cancellationToken);
        if (team is null)
        {
            // Its leader's order never created it: whatever stock that attempt took goes back.
            await store.ReturnStockAsync(message.GroupBuyId, message.TeamId, cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        if (team.Status == TeamStatus.Open && now < team.Deadline)
        {
            await messages.SendAsync(GroupBuyQueues.TeamTimeout, message, options.Value.Wait(team.Deadline - now + GroupBuyService.TimeoutMargin), cancellationToken);
            return;
        }

        team = await Optimistic.RetryAsync<Team>($"Team {team.Id}", async attempt =>
        {
            var current = attempt == 0 ? team : await store.GetTeamAsync(message.TeamId, cancellationToken) ?? team;
            if (!current.Fail(time.GetUtcNow())) return current;
            return await store.TrySaveTeamAsync(current, cancellationToken) ? current : Attempt<Team>.Again;
        }, cancellationToken, Optimistic.HotRowAttempts);

        if (team.Status != TeamStatus.Failed) return;
        if (message.Attempt == 0) logger.LogInformation("Team {TeamId} failed: {Paid} of {Size} seats paid at its deadline", team.Id, team.PaidSeats, team.Size);
        team = await SettleAsync(team, cancellationToken);
        if (team.IsSettled)
        {
            await store.ReturnStockAsync(team.GroupBuyId, team.Id, cancellationToken);
            return;
        }

        logger.LogWarning("Team {TeamId}: {Waiting} refunds not yet final (round {Attempt}); settling again later", team.Id, team.Seats.Count(s => s.Refund != SeatRefund.Succeeded), message.Attempt + 1);
        await messages.SendAsync(GroupBuyQueues.TeamTimeout, message with { Attempt = message.Attempt + 1 }, options.Value.Wait(SettleDelay(message.Attempt)), cancellationToken);
    }

    /// <summary>One round over a failed team's seats: unpaid orders closed, paid ones refunded or followed. The team as it stands after.</summary>
    private async Task<Team> SettleAsync(Team team, CancellationToken cancellationToken)
    {
        var refunds = new Dictionary<string, SeatRefund>(StringComparer.Ordinal);
        foreach (var seat in team.Seats.ToList())
        {
            if (seat.State == SeatState.Held)
            {
                // Closed at WeChat Pay and here; its release frees the seat. Paid meanwhile: the paid path, then a refund.
                await lifecycle.HandleTimeoutAsync(new OrderTimeoutMessage(seat.OpenId, seat.OrderNo, [team.SkuId], team.Id), cancellationToken, "group-buy team failed");
                continue;
            }

            if (seat.Refund == SeatRefund.Succeeded) continue;
            var refund = await RefundAsync(seat, cancellationToken);
            if (refund == SeatRefund.Succeeded)
            {
                // Never shipped: the unit goes back on sale, once per order, before the seat is recorded as done.
                await stock.RestockAsync(team.SkuId, 1, "team|" + seat.OrderNo, cancellationToken);
                await seats.UncountAsync(seat.OpenId, team.GroupBuyId, [seat.OrderNo], cancellationToken);
            }

            refunds[seat.OrderNo] = refund;
        }

        return await RecordAsync(team, refunds, cancellationToken);
    }

    /// <summary>Where the seat's refund is, asking for it (or again, after WeChat Pay closed one) when nothing is in flight.</summary>
    private async Task<SeatRefund> RefundAsync(TeamSeat seat, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(seat.OpenId, seat.OrderNo, cancellationToken);
        if (order is null) return SeatRefund.None;
        foreach (var pending in order.Refunds.Where(r => r.Status == RefundStatus.Pending).ToList()) order = await refunds.RefreshAsync(order, pending.OutRefundNo, cancellationToken);
        if (order.PaidAmount > 0 && order.RefundedAmount >= order.PaidAmount) return SeatRefund.Succeeded;
        // ABNORMAL (the buyer's account refused it) waits for an operator's abnormal-refund; it stays visible here as pending.
        if (order.Refunds.Any(r => r.Status is RefundStatus.Pending or RefundStatus.Abnormal)) return SeatRefund.Pending;

        // The first ask is the order's full refund (<orderNo>-FULL); each one after a CLOSED refund gets its own number.
        var failed = order.Refunds.Count(r => r.Status == RefundStatus.Failed);
        var result = await refunds.RefundAsync(order, amount: null, RefundReason, failed == 0 ? null : "team-retry-" + failed.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        if (!result.IsSuccess)
        {
            logger.LogWarning("Refund of {OrderNo} for its failed team refused here: {Code}", order.OrderNo, result.Error!.Code);
            return SeatRefund.Pending;
        }

        return result.Value!.RefundedAmount >= order.PaidAmount ? SeatRefund.Succeeded : SeatRefund.Pending;
    }

    /// <summary>The round's refunds recorded on the team in one write (its closed orders have freed their seats meanwhile): the team after.</summary>
    private Task<Team> RecordAsync(Team team, IReadOnlyDictionary<string, SeatRefund> refunds, CancellationToken cancellationToken)
        => Optimistic.RetryAsync<Team>($"Team {team.Id}", async _ =>
        {
            var current = await store.GetTeamAsync(team.Id, cancellationToken);
            if (current is null) return team;
            var changed = false;
            foreach (var (orderNo, refund) in refunds) changed |= current.RecordRefund(orderNo, refund);
            return !changed || await store.TrySaveTeamAsync(current, cancellationToken) ? current : Attempt<Team>.Again;
        }, cancellationToken, Optimistic.HotRowAttempts);

    private async Task ReleaseToShipAsync(string openId, string orderNo, CancellationToken cancellationToken)
    {
        var order = await Optimistic.RetryAsync<Order?>($"Order {orderNo}", async _ =>
        {
            var current = await orders.GetAsync(openId, orderNo, cancellationToken);
            if (current is null || !current.MarkTeamWon()) return current;
            return await orders.TrySaveAsync(current, cancellationToken) ? current : Attempt<Order?>.Again;
        }, cancellationToken);
        if (order?.HasBeenPaid == true) await index.SyncAsync(order, previous: null, cancellationToken);
    }
}

/// <summary>A refund of a failed team's order reached its verdict: the team settles again now, rather than at its next round.</summary>
public sealed class TeamRefundListener(IMessageSender messages) : IRefundOutcomeListener
{
    public Task OnRefundAsync(Order order, string outRefundNo, RefundVerdict verdict, CancellationToken cancellationToken)
        => order.Team is { Won: false } team
            ? messages.SendAsync(GroupBuyQueues.TeamTimeout, new TeamTimeoutMessage(team.TeamId, team.GroupBuyId), cancellationToken: cancellationToken)
            : Task.CompletedTask;
}
