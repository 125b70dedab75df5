namespace WeStore.Domain.Loyalty;

public enum PointsSave
{
    Saved,

    /// <summary>The account changed since it was read: read it again and re-apply.</summary>
    Conflict,

    /// <summary>The operation's marker exists: it was done before, and nothing was written.</summary>
    AlreadyDone,
}

/// <summary>An operation done once per member (earning for an order, a clawback for a refund, ...); it may carry a figure.</summary>
public sealed record PointsMarker(string Name, long Value = 0);

public sealed record LedgerPage(IReadOnlyList<PointsLedgerEntry> Entries, string? ContinuationToken);

public interface IPointsRepository
{
    /// <summary>The balance and lots (one partition range read); an empty account if the member has none.</summary>
    Task<PointsAccount> GetAsync(string openId, CancellationToken cancellationToken);

    /// <summary>Writes the account's changes in one batch under its version, with <paramref name="marker"/> (if any)
    /// inserted alongside so the operation happens once.</summary>
    Task<PointsSave> TrySaveAsync(PointsAccount account, PointsMarker? marker, CancellationToken cancellationToken);

    Task<PointsMarker?> GetMarkerAsync(string openId, string name, CancellationToken cancellationToken);

    /// <summary>The ledger, newest first.</summary>
    Task<LedgerPage> ReadLedgerAsync(string openId, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Inserts a marker on its own; false if it exists.</summary>
    Task<bool> TryAddMarkerAsync(string openId, string marker, CancellationToken cancellationToken);

    Task RemoveMarkerAsync(string openId, string marker, CancellationToken cancellationToken);
}

public sealed record ExpiryIndexEntry(string OpenId, string LotKey);

/// <summary>
/// Lots by expiry day (partition = day), so a day's expiry reads only what expires that day. Within a day, entries
/// sort by member, so one member's lots arrive together.
/// </summary>
public interface IPointsExpiryIndex
{
    Task AddAsync(DateOnly day, string openId, string lotKey, CancellationToken cancellationToken);

    IAsyncEnumerable<IReadOnlyList<ExpiryIndexEntry>> ReadPagesAsync(DateOnly day, CancellationToken cancellationToken);

    Task<DateOnly?> GetCursorAsync(string name, CancellationToken cancellationToken);

    Task SetCursorAsync(string name, DateOnly day, CancellationToken cancellationToken);
}
