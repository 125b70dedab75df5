namespace WeStore.Domain.Orders;

/// <summary>The orders capability's queues.</summary>
public static class OrderQueues
{
    /// <summary>Sent first when an order is placed, delayed by the payment window: closes it if it is still unpaid.</summary>
    public const string Timeout = "order-timeout";

    /// <summary>Sent once a payment is recorded: the paid-order pipeline (stock sold, coupon used, points, conversion).</summary>
    public const string Paid = "order-paid";
}

/// <summary>What the unpaid-order timeout needs, even if the order row was never written.</summary>
public sealed record OrderTimeoutMessage(string OpenId, string OrderNo, IReadOnlyList<string> SkuIds);

public sealed record OrderPaidMessage(string OpenId, string OrderNo);
