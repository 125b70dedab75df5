namespace WeStore.Domain.Orders;

public enum OrderCreation
{
    Created,
    OrderExists,
    CouponChanged,

    /// <summary>The member's points changed between reading them and writing the order: read again and retry.</summary>
    PointsChanged,
}

public sealed record OrderPage(IReadOnlyList<Order> Orders, string? ContinuationToken);

/// <summary>Orders in their member's partition.</summary>
public interface IOrderRepository
{
    Task<Order?> GetAsync(string openId, string orderNo, CancellationToken cancellationToken);

    /// <summary>Writes a new order; false if one with that number already exists (a replay).</summary>
    Task<bool> TryCreateAsync(Order order, CancellationToken cancellationToken);

    /// <summary>Writes a new order with its coupon's reservation and its points spend (either may be absent) in one batch.</summary>
    Task<OrderCreation> TryCreateWithAsync(
        Order order, WeStore.Domain.Coupons.Coupon? reservedCoupon, WeStore.Domain.Loyalty.PointsAccount? points, CancellationToken cancellationToken);

    /// <summary>Saves a transition, conditional on the version the order was read at; false if it changed meanwhile.</summary>
    Task<bool> TrySaveAsync(Order order, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<OrderPage> ListAsync(string openId, string? continuationToken, int pageSize, CancellationToken cancellationToken);
}
