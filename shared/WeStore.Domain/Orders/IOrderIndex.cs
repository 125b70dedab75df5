namespace WeStore.Domain.Orders;

/// <summary>The operators' work queues: orders to ship, shipped, received; and shipments WeChat refused for good.</summary>
public enum OrderBucket
{
    ToShip,
    Shipped,
    Received,
    UploadFailed,
}

public sealed record IndexedOrder(string OrderNo, string OpenId, DateTimeOffset PaidAt);

public sealed record IndexPage(IReadOnlyList<IndexedOrder> Orders, string? ContinuationToken);

/// <summary>
/// Orders by number (a point read from an order number to its member, so operators and WeChat's events need no scan)
/// and by operator bucket, oldest payment first. Kept with the order's transitions, after the order's own save; a
/// bucket entry left behind by an interrupted move is dropped when a reader finds the order has moved on.
/// </summary>
public interface IOrderIndex
{
    Task<string?> FindOpenIdAsync(string orderNo, CancellationToken cancellationToken);

    /// <summary>Records the order's number and puts it in the bucket its status belongs to, out of <paramref name="previous"/>.</summary>
    Task SyncAsync(Order order, OrderBucket? previous, CancellationToken cancellationToken);

    Task<IndexPage> ListAsync(OrderBucket bucket, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    Task AddAsync(OrderBucket bucket, Order order, CancellationToken cancellationToken);

    Task RemoveAsync(OrderBucket bucket, string orderNo, DateTimeOffset paidAt, CancellationToken cancellationToken);
}

public static class OrderBuckets
{
    /// <summary>The work bucket an order's status puts it in, if any (completed, refunded and unpaid orders are in none).</summary>
    public static OrderBucket? Of(Order order) => order.Status switch
    {
        // A group-buy order waits outside the queue until its team is won.
        OrderStatus.Paid or OrderStatus.PartiallyRefunded when !order.IsReleasedToShip => null,
        OrderStatus.Paid or OrderStatus.PartiallyRefunded or OrderStatus.PartiallyShipped => OrderBucket.ToShip,
        OrderStatus.Shipped => OrderBucket.Shipped,
        OrderStatus.Received => OrderBucket.Received,
        _ => null,
    };
}
