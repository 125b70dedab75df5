namespace WeStore.Domain.Fulfilment;

public sealed record ScheduledOrder(DueKind Kind, string OpenId, string OrderNo, DateTimeOffset DueAt);

/// <summary>
/// What falls due, by Shanghai day and, within a day, by due time, so a run reads only the entries that fell due
/// since the last one and never scans orders: an order's auto-confirm (AutoConfirmDays after its last package
/// shipped) and its completion (AfterSaleDays after receipt).
/// </summary>
public interface IFulfilmentSchedule
{
    Task AddAsync(ScheduledOrder entry, CancellationToken cancellationToken);

    /// <summary>The entries due after <paramref name="after"/> and at or before <paramref name="upTo"/>, day by day in due order, page by page.</summary>
    IAsyncEnumerable<IReadOnlyList<ScheduledOrder>> ReadPagesAsync(DateTimeOffset after, DateTimeOffset upTo, CancellationToken cancellationToken);

    /// <summary>The due time up to which every entry has been sent, if a run has finished.</summary>
    Task<DateTimeOffset?> GetCursorAsync(CancellationToken cancellationToken);

    Task SetCursorAsync(DateTimeOffset upTo, CancellationToken cancellationToken);
}
