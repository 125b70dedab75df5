namespace WeStore.Domain.GroupBuys;

/// <summary>The group-buy capability's queue.</summary>
public static class GroupBuyQueues
{
    /// <summary>Sent when a team opens, delayed to its deadline; re-sent while a failed team's refunds are not all final.</summary>
    public const string TeamTimeout = "team-timeout";
}

public sealed record TeamTimeoutMessage(string TeamId, string GroupBuyId, int Attempt = 0);

/// <summary>A member's seats in one group-buy's teams (for its per-member limit): team and order of each.</summary>
public sealed record MemberSeat(string TeamId, string OrderNo, DateTimeOffset At);

public sealed class MemberGroupBuySeats(string openId, string groupBuyId, IReadOnlyList<MemberSeat> seats, string? version)
{
    private readonly List<MemberSeat> _seats = [.. seats];

    public string OpenId { get; } = openId;

    public string GroupBuyId { get; } = groupBuyId;

    public IReadOnlyList<MemberSeat> Seats => _seats;

    public string? Version { get; private set; } = version;

    public void Saved(string version) => Version = version;

    /// <summary>Counts the order's seat; false (nothing changes) when it is counted already or the limit is reached.</summary>
    public bool TryAdd(MemberSeat seat, int limit)
    {
        if (_seats.Any(s => s.OrderNo == seat.OrderNo) || _seats.Count >= limit) return false;
        _seats.Add(seat);
        return true;
    }

    public bool Contains(string orderNo) => _seats.Any(s => s.OrderNo == orderNo);

    public bool Remove(string orderNo) => _seats.RemoveAll(s => s.OrderNo == orderNo) > 0;
}

/// <summary>Group-buys, their teams (one row each, written under its version) and members' seat counts.</summary>
public interface IGroupBuyStore
{
    Task<bool> TryCreateAsync(GroupBuy groupBuy, CancellationToken cancellationToken);

    Task<GroupBuy?> GetAsync(string groupBuyId, CancellationToken cancellationToken);

    Task<Team?> GetTeamAsync(string teamId, CancellationToken cancellationToken);

    /// <summary>False if a team with this id exists.</summary>
    Task<bool> TryCreateTeamAsync(Team team, CancellationToken cancellationToken);

    /// <summary>Conditional on the version the team was read at; false if it changed.</summary>
    Task<bool> TrySaveTeamAsync(Team team, CancellationToken cancellationToken);

    Task<MemberGroupBuySeats> GetMemberSeatsAsync(string openId, string groupBuyId, CancellationToken cancellationToken);

    Task<bool> TrySaveMemberSeatsAsync(MemberGroupBuySeats seats, CancellationToken cancellationToken);

    /// <summary>
    /// Takes <paramref name="units"/> from the group-buy's stock for a team (the counter under its version, with the
    /// team's marker, in one batch; a repeat for the team takes nothing more); false if there are not enough.
    /// </summary>
    Task<bool> TryTakeStockAsync(string groupBuyId, string teamId, int units, CancellationToken cancellationToken);

    /// <summary>Gives back what the team took, once (nothing if it took nothing).</summary>
    Task ReturnStockAsync(string groupBuyId, string teamId, CancellationToken cancellationToken);
}
