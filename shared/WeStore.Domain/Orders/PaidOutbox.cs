namespace WeStore.Domain.Orders;

/// <summary>
/// A payment being recorded. The entry is written before the order is marked paid and removed once the paid event
/// is durable, so an attempt that stops in between (a crash, a failed enqueue) leaves it behind for the next copy
/// of the notification or for the sweeper to finish. One entry per order: it is also the lock that lets only one
/// of many concurrent copies of a notification act.
/// </summary>
public sealed record PaidOutboxEntry(string OrderNo, string OpenId, DateTimeOffset CreatedAt);

public interface IPaidOutbox
{
    /// <summary>Null if an entry for this order already exists (another attempt is acting, or stopped).</summary>
    Task<PaidOutboxEntry?> TryAddAsync(string orderNo, string openId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<PaidOutboxEntry?> GetAsync(string orderNo, CancellationToken cancellationToken);

    Task RemoveAsync(PaidOutboxEntry entry, CancellationToken cancellationToken);

    /// <summary>Every entry left: few, since each lives only while its payment is being recorded.</summary>
    Task<IReadOnlyList<PaidOutboxEntry>> ListAsync(CancellationToken cancellationToken);
}
