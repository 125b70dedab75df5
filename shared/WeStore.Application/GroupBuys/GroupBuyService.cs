using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeStore.Application.Auth;
using WeStore.Application.Catalog;
using WeStore.Application.Orders;
using WeStore.Domain.Common;
using WeStore.Domain.GroupBuys;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;

namespace WeStore.Application.GroupBuys;

/// <summary>
/// Group-buys: an operator sets one up; a member opens a team or joins one, which places an order at the group price
/// through the order path (its timeout message, stock holds and prepay). The seat is taken on the team's row under
/// its version after the order's timeout message is sent and before stock is held, so seats ≤ size whatever the
/// concurrency, and whatever fails later frees it (the answer's path here, or that message). A member's seats in one
/// group-buy are counted in one row of theirs for its per-member limit. Storage cost of a join: the team's read and
/// write, the member's count read and write, and the order path's (timeout send, a stock read and batch, the order);
/// the group-buy's definition comes from the instance's catalogue (<see cref="GroupBuyCatalog"/>).
/// </summary>
public sealed class GroupBuyService(
    IGroupBuyStore store,
    GroupBuyCatalog catalogue,
    OrderService placement,
    IOrderRepository orders,
    CatalogService catalog,
    TeamSeats seats,
    IMessageSender messages,
    Microsoft.Extensions.Options.IOptions<GroupBuyOptions> options,
    TimeProvider time,
    ILogger<GroupBuyService> logger)
{
    /// <summary>The team's timeout fires this long after its deadline, so it never finds the team a moment early.</summary>
    public static readonly TimeSpan TimeoutMargin = TimeSpan.FromSeconds(5);

    /// <summary>A counted seat this old with no seat on its team belongs to an attempt that will not finish.</summary>
    private static readonly TimeSpan StaleCount = TimeSpan.FromMinutes(2);

    public async Task<Result<GroupBuyView>> CreateAsync(CreateGroupBuyCommand command, CancellationToken cancellationToken)
    {
        if (GroupBuy.Refusal(command.GroupPrice, command.TeamSize, command.TeamHours, command.StartsAt, command.EndsAt, command.PerMemberLimit, command.Stock) is { } why)
        {
            return Error.Invalid("group_buy_invalid", why);
        }

        var sku = (await catalog.ListAsync(cancellationToken)).SelectMany(p => p.Skus).FirstOrDefault(s => s.Id == command.SkuId);
        if (sku is null) return Error.Invalid("sku_not_found", $"SKU {command.SkuId} is not in the catalog.");
        if (command.GroupPrice >= sku.Price) return Error.Invalid("group_price_not_lower", $"The group price must be below the SKU's price ({sku.Price} fen).");

        var groupBuy = new GroupBuy("gb" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), command.SkuId, command.GroupPrice,
            command.TeamSize, command.TeamHours, command.StartsAt, command.EndsAt, command.PerMemberLimit, command.Stock, time.GetUtcNow());
        if (!await store.TryCreateAsync(groupBuy, cancellationToken)) return Error.Conflict("group_buy_exists", "Try again.");
        logger.LogInformation("Group-buy {GroupBuyId} created for {SkuId}: teams of {TeamSize} within {TeamHours} h", groupBuy.Id, groupBuy.SkuId, groupBuy.TeamSize, groupBuy.TeamHours);
        return GroupBuyView.From(groupBuy);
    }

    public async Task<Result<GroupBuyView>> GetAsync(string groupBuyId, CancellationToken cancellationToken)
        => GroupBuyIds.IsValid(groupBuyId) && await catalogue.GetAsync(groupBuyId, cancellationToken) is { } g
            ? GroupBuyView.From(g)
            : Error.NotFound("group_buy_not_found", "No such group-buy.");

    public async Task<Result<TeamView>> GetTeamAsync(string teamId, CancellationToken cancellationToken)
        => GroupBuyIds.IsValid(teamId) && await store.GetTeamAsync(teamId, cancellationToken) is { } team
            ? TeamView.From(team, time.GetUtcNow())
            : Error.NotFound("team_not_found", "No such team.");

    public async Task<Result<TeamAdminView>> GetTeamForOperatorAsync(string teamId, CancellationToken cancellationToken)
        => GroupBuyIds.IsValid(teamId) && await store.GetTeamAsync(teamId, cancellationToken) is { } team
            ? TeamAdminView.From(team, time.GetUtcNow())
            : Error.NotFound("team_not_found", "No such team.");

    /// <summary>A member opens a team (its first seat is theirs); the team's id comes from the member and the key, so a retry finds it.</summary>
    public async Task<Result<StoredResponse>> OpenTeamAsync(MemberSession member, string groupBuyId, string idempotencyKey, ShippingAddress address, CancellationToken cancellationToken)
    {
        var groupBuy = GroupBuyIds.IsValid(groupBuyId) ? await catalogue.GetAsync(groupBuyId, cancellationToken) : null;
        if (groupBuy is null) return Error.NotFound("group_buy_not_found", "No such group-buy.");
        var teamId = TeamIdFor(member.OpenId, idempotencyKey, groupBuy.Id);
        var existing = await store.GetTeamAsync(teamId, cancellationToken);
        if (existing is null && !groupBuy.IsOpenAt(time.GetUtcNow())) return Error.Conflict("group_buy_not_open", "This group-buy is not open for new teams now.");
        return await PlaceAsync(member, groupBuy, teamId, existing, idempotencyKey, address, cancellationToken);
    }

    /// <summary>A member joins a team: refused (409) when it is full, closed, past its time, or already holds them.</summary>
    public async Task<Result<StoredResponse>> JoinAsync(MemberSession member, string teamId, string idempotencyKey, ShippingAddress address, CancellationToken cancellationToken)
    {
        var team = GroupBuyIds.IsValid(teamId) ? await store.GetTeamAsync(teamId, cancellationToken) : null;
        var groupBuy = team is null ? null : await catalogue.GetAsync(team.GroupBuyId, cancellationToken);
        if (team is null || groupBuy is null) return Error.NotFound("team_not_found", "No such team.");
        return await PlaceAsync(member, groupBuy, teamId, team, idempotencyKey, address, cancellationToken);
    }

    private async Task<Result<StoredResponse>> PlaceAsync(
        MemberSession member, GroupBuy groupBuy, string teamId, Team? known, string idempotencyKey, ShippingAddress address, CancellationToken cancellationToken)
    {
        var orderNo = OrderNumbers.FromIdempotencyKey(member.OpenId, idempotencyKey);
        // Refused before anything is written, when the team as read already says no (a retry of a seat's own order passes).
        if (known is not null && !known.Seats.Any(s => s.OrderNo == orderNo) && Refusal(known.Check(member.OpenId, orderNo, time.GetUtcNow())) is { } early)
        {
            return early;
        }

        if (await CountSeatAsync(member.OpenId, groupBuy, teamId, orderNo, cancellationToken) is { } limited) return limited;

        var terms = new GroupOrderTerms(groupBuy.Id, teamId, groupBuy.GroupPrice, (no, ct) => TakeSeatAsync(member.OpenId, groupBuy, teamId, known, no, ct));
        Result<StoredResponse> placed;
        try
        {
            placed = await placement.PlaceAsync(member, idempotencyKey, new PlaceOrderCommand([new PlaceOrderItem(groupBuy.SkuId, 1)], null, address, null), cancellationToken, terms);
        }
        catch
        {
            await FreeUnlessPlacedAsync(member.OpenId, groupBuy.Id, teamId, orderNo);
            throw;
        }

        if (!placed.IsSuccess)
        {
            if (placed.Error!.Code != "request_in_progress") await FreeUnlessPlacedAsync(member.OpenId, groupBuy.Id, teamId, orderNo);
            return placed.Error!;
        }

        // The order's own answer, with the team it sits in.
        var answer = JsonNode.Parse(placed.Value!.Json)!.AsObject();
        answer.Insert(0, "teamId", teamId);
        return new StoredResponse(answer.ToJsonString());
    }

    /// <summary>The member's seat counts towards the limit before it is taken; a count left by an attempt that never took its seat is dropped.</summary>
    private Task<Error?> CountSeatAsync(string openId, GroupBuy groupBuy, string teamId, string orderNo, CancellationToken cancellationToken)
        => Optimistic.RetryAsync<Error?>($"The group-buy seats of a member in {groupBuy.Id}", async _ =>
        {
            var counted = await store.GetMemberSeatsAsync(openId, groupBuy.Id, cancellationToken);
            if (counted.Contains(orderNo)) return (Error?)null;
            var now = time.GetUtcNow();
            if (counted.Seats.Count >= groupBuy.PerMemberLimit)
            {
                foreach (var stale in counted.Seats.Where(s => now - s.At > StaleCount).ToList())
                {
                    var team = await store.GetTeamAsync(stale.TeamId, cancellationToken);
                    if (team is null || team.Status == TeamStatus.Failed || team.Seats.All(s => s.OrderNo != stale.OrderNo)) counted.Remove(stale.OrderNo);
                }
            }

            if (!counted.TryAdd(new MemberSeat(teamId, orderNo, now), groupBuy.PerMemberLimit))
            {
                return Error.Conflict("group_buy_limit_reached", $"A member may take {groupBuy.PerMemberLimit} seat(s) in this group-buy.");
            }

            return await store.TrySaveMemberSeatsAsync(counted, cancellationToken) ? (Error?)null : Attempt<Error?>.Again;
        }, cancellationToken);

    /// <summary>Runs inside the order path: the team is created with its leader's seat, or the seat is taken on it, under its version.</summary>
    private async Task<Error?> TakeSeatAsync(string openId, GroupBuy groupBuy, string teamId, Team? known, string orderNo, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Both callers read the team first: none means it is this leader's to create (a concurrent retry that created
        // it first makes the create fail, and the seat is then taken on the team as it stands).
        if (known is null)
        {
            var opened = Team.Open(teamId, groupBuy, openId, now);
            opened.Hold(openId, orderNo, now);
            // The timeout first: a team is never without the message that ends it (it finds nothing to do if the team was never written).
            await messages.SendAsync(GroupBuyQueues.TeamTimeout, new TeamTimeoutMessage(teamId, groupBuy.Id), options.Value.Wait(opened.Deadline - now + TimeoutMargin), cancellationToken);
            if (groupBuy.Stock is not null && !await store.TryTakeStockAsync(groupBuy.Id, teamId, groupBuy.TeamSize, cancellationToken))
            {
                return Error.Conflict("group_buy_sold_out", "This group-buy has no stock left for a new team.");
            }

            if (await store.TryCreateTeamAsync(opened, cancellationToken)) return null;
        }

        var first = known;
        return await Optimistic.RetryAsync<Error?>($"Team {teamId}", async attempt =>
        {
            var team = attempt == 0 && first is not null ? first : await store.GetTeamAsync(teamId, cancellationToken);
            if (team is null) return Error.NotFound("team_not_found", "No such team.");
            var outcome = team.Hold(openId, orderNo, time.GetUtcNow());
            if (outcome == SeatOutcome.AlreadyHeld) return (Error?)null;
            if (Refusal(outcome) is { } refused) return refused;
            return await store.TrySaveTeamAsync(team, cancellationToken) ? (Error?)null : Attempt<Error?>.Again;
        }, cancellationToken, Optimistic.HotRowAttempts, attempt => TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 20))));
    }

    private async Task FreeUnlessPlacedAsync(string openId, string groupBuyId, string teamId, string orderNo)
    {
        try
        {
            if (await orders.GetAsync(openId, orderNo, CancellationToken.None) is null) await seats.FreeAsync(teamId, openId, orderNo, CancellationToken.None, groupBuyId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The order's timeout message names the team and frees the seat when it fires.
            logger.LogWarning(e, "Freeing the seat of {OrderNo} in team {TeamId} failed; the order's timeout will free it", orderNo, teamId);
        }
    }

    private static Error? Refusal(SeatOutcome outcome) => outcome switch
    {
        SeatOutcome.Full => Error.Conflict("team_full", "The team is full."),
        SeatOutcome.Closed => Error.Conflict("team_closed", "The team is no longer open."),
        SeatOutcome.Expired => Error.Conflict("team_expired", "The team's time is up."),
        SeatOutcome.AlreadyMember => Error.Conflict("already_in_team", "The member already holds a seat in this team."),
        _ => null,
    };

    /// <summary>20 base32 characters from the leader, the key and the group-buy: a retry finds its team; nobody can guess one.</summary>
    public static string TeamIdFor(string openId, string idempotencyKey, string groupBuyId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(openId + "\n" + idempotencyKey + "\n" + groupBuyId));
        return "tm" + Convert.ToHexString(hash, 0, 10).ToLowerInvariant();
    }
}
