using WeStore.Domain.Orders;

namespace WeStore.Application.Orders;

public sealed record PlaceOrderItem(string SkuId, int Quantity);

/// <summary>A validated order request. Client prices never reach here.</summary>
public sealed record PlaceOrderCommand(IReadOnlyList<PlaceOrderItem> Items, string? CouponId, ShippingAddress Address, string? Remark, long PointsToUse = 0);

/// <summary>
/// A group-buy order: its team, its unit price, and the seat it takes, given the order number (null: taken, or
/// already this order's; otherwise why it was refused).
/// </summary>
public sealed record GroupOrderTerms(string GroupBuyId, string TeamId, long UnitPrice, Func<string, CancellationToken, Task<WeStore.Domain.Common.Error?>> TakeSeatAsync);

/// <summary>Discount is the coupon's and the points' together; <paramref name="PointsUsed"/> says how many points paid for part of it.</summary>
public sealed record AmountsView(long Subtotal, long Discount, long Payable, long PointsUsed = 0);

public sealed record PaymentView(string TimeStamp, string NonceStr, string Package, string SignType, string PaySign);

public sealed record PlaceOrderResponse(string OrderNo, string Status, AmountsView Amounts, DateTimeOffset ExpiresAt, PaymentView Payment);

public sealed record OrderLineView(string SkuId, string ProductId, string Name, long UnitPrice, int Quantity, long Total);

public sealed record OrderView(
    string OrderNo, string Status, AmountsView Amounts, IReadOnlyList<OrderLineView> Lines, ShippingAddress Address, string? Remark,
    string? CouponId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? PaidAt, DateTimeOffset? ClosedAt,
    long RefundedAmount = 0, WeStore.Application.Fulfilment.FulfilmentView? Fulfilment = null)
{
    /// <summary>The order with its fulfilment (packages, tracking numbers, WeChat's upload state) when anything has shipped.</summary>
    public static OrderView From(Order o, WeStore.Domain.Fulfilment.ShippingUpload? upload = null) => new(
        o.OrderNo, StatusName(o.Status), new AmountsView(o.Amounts.Subtotal, o.Amounts.Discount, o.Amounts.Payable, o.PointsUsed),
        o.Lines.Select(l => new OrderLineView(l.SkuId, l.ProductId, l.Name, l.UnitPrice, l.Quantity, l.Total)).ToList(),
        o.Address, o.Remark, o.CouponId, o.CreatedAt, o.ExpiresAt, o.PaidAt, o.ClosedAt, o.RefundedAmount,
        o.Fulfilment.IsEmpty ? null : WeStore.Application.Fulfilment.FulfilmentView.From(o, upload));

    public static string StatusName(OrderStatus status) => status switch
    {
        OrderStatus.PendingPayment => "pendingPayment",
        OrderStatus.Paid => "paid",
        OrderStatus.Closed => "closed",
        OrderStatus.Cancelled => "cancelled",
        OrderStatus.Refunded => "refunded",
        OrderStatus.PartiallyRefunded => "partiallyRefunded",
        OrderStatus.PartiallyShipped => "partiallyShipped",
        OrderStatus.Shipped => "shipped",
        OrderStatus.Received => "received",
        OrderStatus.Completed => "completed",
        _ => status.ToString(),
    };
}

public sealed record OrderListView(IReadOnlyList<OrderView> Orders, string? ContinuationToken);

/// <summary>A replayed request's first answer, exactly as it was sent.</summary>
public sealed record StoredResponse(string Json);
