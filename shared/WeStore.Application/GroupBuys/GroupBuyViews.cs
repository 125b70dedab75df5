using WeStore.Domain.GroupBuys;

namespace WeStore.Application.GroupBuys;

public sealed record CreateGroupBuyCommand(string SkuId, long GroupPrice, int TeamSize, int TeamHours, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int PerMemberLimit, int? Stock);

public sealed record GroupBuyView(string Id, string SkuId, long GroupPrice, int TeamSize, int TeamHours, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int PerMemberLimit, int? Stock)
{
    public static GroupBuyView From(GroupBuy g) => new(g.Id, g.SkuId, g.GroupPrice, g.TeamSize, g.TeamHours, g.StartsAt, g.EndsAt, g.PerMemberLimit, g.Stock);
}

/// <summary>A seat on the share card: no openid, no order; the leader and whether the seat is paid.</summary>
public sealed record TeamMemberView(string Label, bool Leader, bool Paid);

/// <summary>The public view of a team, for its share card.</summary>
public sealed record TeamView(
    string TeamId, string GroupBuyId, string SkuId, long GroupPrice, int TeamSize, int SeatsTaken, int PaidSeats, int SeatsLeft, string Status,
    DateTimeOffset Deadline, long SecondsLeft, IReadOnlyList<TeamMemberView> Members)
{
    public static string StatusName(TeamStatus status) => status switch
    {
        TeamStatus.Won => "won",
        TeamStatus.Failed => "failed",
        _ => "open",
    };

    public static TeamView From(Team t, DateTimeOffset now) => new(
        t.Id, t.GroupBuyId, t.SkuId, t.GroupPrice, t.Size, t.Seats.Count, t.PaidSeats, Math.Max(0, t.Size - t.Seats.Count), StatusName(t.Status),
        t.Deadline, t.Status == TeamStatus.Open ? Math.Max(0, (long)(t.Deadline - now).TotalSeconds) : 0,
        [.. t.Seats.Select((s, i) => new TeamMemberView(MaskedLabel(i), s.OpenId == t.LeaderOpenId, s.State == SeatState.Paid))]);

    /// <summary>Who sits where is nobody else's business: a seat is shown by its number alone.</summary>
    private static string MaskedLabel(int index) => "成员" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An operator's view: each seat's order and, for a failed team, where its refund is.</summary>
public sealed record TeamSeatAdminView(string OrderNo, string State, DateTimeOffset HeldAt, DateTimeOffset? PaidAt, string Refund);

public sealed record TeamAdminView(TeamView Team, int Freed, bool Settled, IReadOnlyList<TeamSeatAdminView> Seats)
{
    public static TeamAdminView From(Team t, DateTimeOffset now) => new(TeamView.From(t, now), t.Freed, t.IsSettled,
        [.. t.Seats.Select(s => new TeamSeatAdminView(s.OrderNo, s.State == SeatState.Paid ? "paid" : "held", s.HeldAt, s.PaidAt, s.Refund.ToString().ToLowerInvariant()))]);
}

public static class GroupBuyIds
{
    public static bool IsValid(string? id) => id is { Length: >= 8 and <= 40 } && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}
