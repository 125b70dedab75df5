namespace WeStore.Domain.Attribution;

/// <summary>
/// The figures counted for one QR code (or for unknown scenes) on one business day. Unique visitors are counted three
/// ways, because a member who scans two packaging codes is two code visitors but one channel visitor.
/// </summary>
public sealed record AttributionCounts(
    long Scans = 0, long Visitors = 0, long ChannelVisitors = 0, long StaffVisitors = 0, long NewMembers = 0,
    long Orders = 0, long PaidOrders = 0, long PaidGmv = 0)
{
    public static readonly AttributionCounts Zero = new();

    public bool IsZero => this == Zero;

    public AttributionCounts Add(AttributionCounts other) => new(
        Scans + other.Scans, Visitors + other.Visitors, ChannelVisitors + other.ChannelVisitors, StaffVisitors + other.StaffVisitors,
        NewMembers + other.NewMembers, Orders + other.Orders, PaidOrders + other.PaidOrders, checked(PaidGmv + other.PaidGmv));

    public static AttributionCounts ForScan(ScanOutcome o) => new(
        Scans: 1, Visitors: o.FirstVisitOfCodeToday ? 1 : 0, ChannelVisitors: o.FirstVisitOfChannelToday ? 1 : 0,
        StaffVisitors: o.FirstVisitOfStaffToday ? 1 : 0, NewMembers: o.NewMember ? 1 : 0);
}

/// <summary>Which counter a figure belongs to: a known code (with its channel and staff, copied for grouping) or unknown scenes.</summary>
public sealed record CounterKey(string? SceneId, string Channel, string? StaffId)
{
    public static readonly CounterKey UnknownScene = new(null, Channels.Unknown, null);

    public static CounterKey For(Touch touch) => new(touch.SceneId, touch.Channel, touch.StaffId);

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

    /// <summary>Adds an order's outcome once per order number: false if it was already counted.</summary>
    Task<bool> AddOnceAsync(string day, CounterKey key, string orderNo, AttributionCounts delta, CancellationToken cancellationToken);

    /// <summary>Every counter of one day, shards summed.</summary>
    Task<IReadOnlyList<CounterRow>> ReadDayAsync(string day, CancellationToken cancellationToken);
}
