namespace WeStore.Domain.GroupBuys;

/// <summary>
/// A group-buy (拼团) an operator set up: one SKU at a group price, for teams of <see cref="TeamSize"/> that must
/// fill within <see cref="TeamHours"/> of opening, opened between <see cref="StartsAt"/> and <see cref="EndsAt"/>.
/// <see cref="Stock"/>, when set, caps the units sold at the group price (teams reserve their seats from it when
/// they open, so a join never touches a shared row).
/// </summary>
public sealed record GroupBuy(
    string Id, string SkuId, long GroupPrice, int TeamSize, int TeamHours, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    int PerMemberLimit, int? Stock, DateTimeOffset CreatedAt)
{
    public const int MinTeamSize = 2;
    public const int MaxTeamSize = 10;
    public const int MinTeamHours = 1;
    public const int MaxTeamHours = 72;
    public const int MaxPerMemberLimit = 99;
    public const int MaxStock = 1_000_000;

    /// <summary>Why these terms cannot make a group-buy, or null.</summary>
    public static string? Refusal(long groupPrice, int teamSize, int teamHours, DateTimeOffset startsAt, DateTimeOffset endsAt, int perMemberLimit, int? stock)
        => groupPrice < 1 ? "groupPrice must be at least 1 fen."
        : teamSize is < MinTeamSize or > MaxTeamSize ? $"teamSize is {MinTeamSize} to {MaxTeamSize}."
        : teamHours is < MinTeamHours or > MaxTeamHours ? $"teamHours is {MinTeamHours} to {MaxTeamHours}."
        : endsAt <= startsAt ? "endsAt must be after startsAt."
        : perMemberLimit is < 1 or > MaxPerMemberLimit ? $"perMemberLimit is 1 to {MaxPerMemberLimit}."
        : stock is { } s && (s < teamSize || s > MaxStock) ? $"stock, when given, is teamSize to {MaxStock} units."
        : null;

    /// <summary>Whether a team may be opened now.</summary>
    public bool IsOpenAt(DateTimeOffset now) => now >= StartsAt && now < EndsAt;
}

public enum TeamStatus
{
    Open,
    Won,
    Failed,
}

public enum SeatState
{
    /// <summary>An unpaid order holds the seat; freed when that order closes or is cancelled.</summary>
    Held,

    Paid,
}

public enum SeatRefund
{
    None,

    /// <summary>Asked for, not yet final at WeChat Pay (or refused and to be asked again).</summary>
    Pending,

    Succeeded,
}

/// <summary>One member's seat: the order that holds it, and for a failed team, where its refund is.</summary>
public sealed record TeamSeat(string OpenId, string OrderNo, SeatState State, DateTimeOffset HeldAt, DateTimeOffset? PaidAt = null, SeatRefund Refund = SeatRefund.None);

public enum SeatOutcome
{
    /// <summary>A new seat is held; the team must be saved.</summary>
    Held,

    /// <summary>This order already holds a seat (a retry of the same request).</summary>
    AlreadyHeld,

    /// <summary>The member holds another seat in this team.</summary>
    AlreadyMember,

    Full,

    /// <summary>The team is won or failed.</summary>
    Closed,

    /// <summary>The team's time is up (its timeout may not have run yet).</summary>
    Expired,
}

/// <summary>What <see cref="Team.MarkPaid"/> did.</summary>
public enum SeatPayment
{
    /// <summary>The seat is paid; the team is still open.</summary>
    Paid,

    /// <summary>The seat was the last: the team is won.</summary>
    Won,

    /// <summary>Already recorded: nothing changed.</summary>
    AlreadyPaid,

    /// <summary>The team failed (or its time passed before the payment): the order must be refunded.</summary>
    MustRefund,

    /// <summary>The order holds no seat here.</summary>
    NoSeat,
}

/// <summary>
/// A team: the seats taken (paid and held) under one row's version, so seats ≤ size under any concurrency. Open →
/// Won (every seat paid before the deadline) or Failed (the deadline passed first). A held seat is freed by its
/// order's close or cancel; a member holds at most one seat. After failure each paid seat is refunded against its
/// own order, and its refund is followed here until WeChat Pay says it succeeded.
/// </summary>
public sealed class Team
{
    private List<TeamSeat> _seats = [];

    private Team(string id) => Id = id;

    public string Id { get; }

    public string GroupBuyId { get; private set; } = string.Empty;

    public string SkuId { get; private set; } = string.Empty;

    public long GroupPrice { get; private set; }

    public int Size { get; private set; }

    public string LeaderOpenId { get; private set; } = string.Empty;

    public DateTimeOffset OpenedAt { get; private set; }

    public DateTimeOffset Deadline { get; private set; }

    public TeamStatus Status { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public IReadOnlyList<TeamSeat> Seats => _seats;

    /// <summary>Seats freed by orders that closed unpaid: shown, so a share card can say the team lost a member.</summary>
    public int Freed { get; private set; }

    public string? Version { get; private set; }

    public int PaidSeats => _seats.Count(s => s.State == SeatState.Paid);

    /// <summary>Nothing left to do: not failed, or failed with no seat held and every paid seat refunded.</summary>
    public bool IsSettled => Status != TeamStatus.Failed || _seats.All(s => s.State == SeatState.Paid && s.Refund == SeatRefund.Succeeded);

    public static Team Open(string id, GroupBuy groupBuy, string leaderOpenId, DateTimeOffset now)
        => new(id)
        {
            GroupBuyId = groupBuy.Id, SkuId = groupBuy.SkuId, GroupPrice = groupBuy.GroupPrice, Size = groupBuy.TeamSize, LeaderOpenId = leaderOpenId,
            OpenedAt = now, Deadline = now.AddHours(groupBuy.TeamHours), Status = TeamStatus.Open,
        };

    public static Team Restore(
        string id, string groupBuyId, string skuId, long groupPrice, int size, string leaderOpenId, DateTimeOffset openedAt, DateTimeOffset deadline,
        TeamStatus status, DateTimeOffset? closedAt, IReadOnlyList<TeamSeat> seats, int freed, string? version)
        => new(id)
        {
            GroupBuyId = groupBuyId, SkuId = skuId, GroupPrice = groupPrice, Size = size, LeaderOpenId = leaderOpenId, OpenedAt = openedAt,
            Deadline = deadline, Status = status, ClosedAt = closedAt, _seats = [.. seats], Freed = freed, Version = version,
        };

    public void Saved(string version) => Version = version;

    /// <summary>A seat for the member's order. A repeat of the same order is <see cref="SeatOutcome.AlreadyHeld"/>.</summary>
    public SeatOutcome Hold(string openId, string orderNo, DateTimeOffset now)
    {
        var outcome = Check(openId, orderNo, now);
        if (outcome == SeatOutcome.Held) _seats.Add(new TeamSeat(openId, orderNo, SeatState.Held, now));
        return outcome;
    }

    /// <summary>What <see cref="Hold"/> would do, changing nothing.</summary>
    public SeatOutcome Check(string openId, string orderNo, DateTimeOffset now)
        => _seats.Any(s => s.OrderNo == orderNo) ? SeatOutcome.AlreadyHeld
        : Status != TeamStatus.Open ? SeatOutcome.Closed
        : now >= Deadline ? SeatOutcome.Expired
        : _seats.Any(s => s.OpenId == openId) ? SeatOutcome.AlreadyMember
        : _seats.Count >= Size ? SeatOutcome.Full
        : SeatOutcome.Held;

    /// <summary>The order ended unpaid: its held seat is free. False if it holds none (or a paid one).</summary>
    public bool Release(string orderNo)
    {
        var index = _seats.FindIndex(s => s.OrderNo == orderNo && s.State == SeatState.Held);
        if (index < 0) return false;
        _seats.RemoveAt(index);
        Freed++;
        return true;
    }

    /// <summary>
    /// The order holding a seat was paid at <paramref name="paidAt"/>. The last seat paid before the deadline wins
    /// the team; a payment into a failed team, or after the deadline, is to be refunded.
    /// </summary>
    public SeatPayment MarkPaid(string orderNo, DateTimeOffset paidAt, DateTimeOffset now)
    {
        var index = _seats.FindIndex(s => s.OrderNo == orderNo);
        if (index < 0) return SeatPayment.NoSeat;
        var seat = _seats[index];
        if (seat.State == SeatState.Paid) return Status == TeamStatus.Failed && seat.Refund != SeatRefund.Succeeded ? SeatPayment.MustRefund : SeatPayment.AlreadyPaid;
        _seats[index] = seat with { State = SeatState.Paid, PaidAt = paidAt };
        if (Status == TeamStatus.Failed || paidAt >= Deadline) return SeatPayment.MustRefund;
        if (Status == TeamStatus.Open && PaidSeats == Size)
        {
            Status = TeamStatus.Won;
            ClosedAt = now;
            return SeatPayment.Won;
        }

        return SeatPayment.Paid;
    }

    /// <summary>The deadline passed with the team not won: it fails. False if it is not open or its time is not up.</summary>
    public bool Fail(DateTimeOffset now)
    {
        if (Status != TeamStatus.Open || now < Deadline) return false;
        Status = TeamStatus.Failed;
        ClosedAt = now;
        return true;
    }

    /// <summary>Where a failed team's refund of one seat is; only moves forward.</summary>
    public bool RecordRefund(string orderNo, SeatRefund refund)
    {
        var index = _seats.FindIndex(s => s.OrderNo == orderNo && s.State == SeatState.Paid);
        if (index < 0 || _seats[index].Refund >= refund) return false;
        _seats[index] = _seats[index] with { Refund = refund };
        return true;
    }
}
