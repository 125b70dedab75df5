namespace WeStore.Domain.Attribution;

/// <summary>
/// The figures counted for one QR code or WeCom contact-me code (or for unknown scenes) on one business day. Unique
/// visitors are counted three ways, because a member who scans two packaging codes is two code visitors but one
/// channel visitor. WeCom adds and losses are the contact-me codes' counterpart of scans.
/// </summary>
public sealed record AttributionCounts(
    long Scans = 0, long Visitors = 0, long ChannelVisitors = 0, long StaffVisitors = 0, long NewMembers = 0,
    long Orders = 0, long PaidOrders = 0, long PaidGmv = 0, long WecomAdds = 0, long WecomLost = 0, long Follows = 0, long Unfollows = 0)
{
    public static readonly AttributionCounts Zero = new();

    public bool IsZero => this == Zero;

    public AttributionCounts Add(AttributionCounts other) => new(
        Scans + other.Scans, Visitors + other.Visitors, ChannelVisitors + other.ChannelVisitors, StaffVisitors + other.StaffVisitors,
        NewMembers + other.NewMembers, Orders + other.Orders, PaidOrders + other.PaidOrders, checked(PaidGmv + other.PaidGmv),
        WecomAdds + other.WecomAdds, WecomLost + other.WecomLost, Follows + other.Follows, Unfollows + other.Unfollows);

    public static AttributionCounts ForScan(ScanOutcome o) => new(
        Scans: 1, Visitors: o.FirstVisitOfCodeToday ? 1 : 0, ChannelVisitors: o.FirstVisitOfChannelToday ? 1 : 0,
        StaffVisitors: o.FirstVisitOfStaffToday ? 1 : 0, NewMembers: o.NewMember ? 1 : 0);
}

/// <summary>
/// Which counter a figure belongs to: a known code (with its channel and staff, copied for grouping) or unknown scenes.
/// A QR code's scene and a contact-me code's state are separate namespaces, told apart by <see cref="Kind"/>; a
/// contact-me code counts per staff member, since one code can add any of its staff.
/// </summary>
public sealed record CounterKey(string? SceneId, string Channel, string? StaffId, TouchKind Kind = TouchKind.QrCode)
{
    public static readonly CounterKey UnknownScene = new(null, Channels.Unknown, null);

    public static CounterKey For(Touch touch) => new(touch.SceneId, touch.Channel, touch.StaffId, touch.Kind);

    /// <summary>A WeCom add's counter: its contact-me code's state (or <see cref="Touch.NoState"/>) and the staff member added.</summary>
    public static CounterKey ForContact(string? state, string channel, string userId) => new(state ?? Touch.NoState, channel, userId, TouchKind.WeComAdd);

    /// <summary>A follow code's counter (or <see cref="Touch.NoState"/> for follows through no code of ours).</summary>
    public static CounterKey ForFollow(string? scene, string channel) => new(scene ?? Touch.NoState, channel, null, TouchKind.Follow);

    public static CounterKey For(QrCode code) => new(code.SceneId, code.Channel, code.StaffId);
}

public sealed record CounterRow(CounterKey Key, AttributionCounts Counts);

/// <summary>
/// Report counters, partitioned by business day and sharded by row so that a spike on one code spreads its writes.
/// A report reads one partition per day; it never reads scans or orders.
/// </summary>
public interface IAttributionCounters
{
    /// <summary>Adds to a counter; returns once the addition is durable.</summary>
    Task AddAsync(string day, CounterKey key, AttributionCounts delta, CancellationToken cancellationToken);

    /// <summary>Adds once per <paramref name="once"/> (an order number, an event's identity): false if it was already counted.</summary>
    Task<bool> AddOnceAsync(string day, CounterKey key, string once, AttributionCounts delta, CancellationToken cancellationToken);

    /// <summary>Every counter of one day, shards summed.</summary>
    Task<IReadOnlyList<CounterRow>> ReadDayAsync(string day, CancellationToken cancellationToken);
}
