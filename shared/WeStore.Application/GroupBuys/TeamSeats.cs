using WeStore.Domain.Common;
using WeStore.Domain.GroupBuys;

namespace WeStore.Application.GroupBuys;

/// <summary>
/// Frees a group-buy seat: the team's seat held by an order that ended unpaid (or was never written), and the
/// member's count towards the per-member limit. Idempotent: a seat already free changes nothing.
/// </summary>
public sealed class TeamSeats(IGroupBuyStore store)
{
    /// <summary>Frees the order's seat; <paramref name="groupBuyId"/> uncounts it even when the team was never written.</summary>
    public async Task FreeAsync(string teamId, string openId, string orderNo, CancellationToken cancellationToken, string? groupBuyId = null)
    {
        var team = await Optimistic.RetryAsync<Team?>($"Team {teamId}", async _ =>
        {
            var current = await store.GetTeamAsync(teamId, cancellationToken);
            if (current is null || !current.Release(orderNo)) return current;
            return await store.TrySaveTeamAsync(current, cancellationToken) ? current : Attempt<Team?>.Again;
        }, cancellationToken, Optimistic.HotRowAttempts);
        if ((team?.GroupBuyId ?? groupBuyId) is { } counted) await UncountAsync(openId, counted, [orderNo], cancellationToken);
    }

    /// <summary>The member's seats no longer count towards the limit (freed, or their team failed).</summary>
    public Task UncountAsync(string openId, string groupBuyId, IReadOnlyCollection<string> orderNos, CancellationToken cancellationToken)
        => Optimistic.RetryAsync($"The group-buy seats of a member in {groupBuyId}", async _ =>
        {
            var seats = await store.GetMemberSeatsAsync(openId, groupBuyId, cancellationToken);
            var changed = false;
            foreach (var orderNo in orderNos) changed |= seats.Remove(orderNo);
            return !changed || await store.TrySaveMemberSeatsAsync(seats, cancellationToken);
        }, cancellationToken);
}
