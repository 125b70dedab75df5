namespace WeStore.Domain.Orders;

/// <summary>The orders capability's queues.</summary>
public static class OrderQueues
{
    /// <summary>Sent first when an order is placed, delayed by the payment window: closes it if it is still unpaid.</summary>
    public const string Timeout = "order-timeout";

    /// <summary>Sent once a payment is recorded: the paid-order pipeline (stock sold, coupon used, points, conversion).</summary>
    public const string Paid = "order-paid";

    /// <summary>A refund not yet final at WeChat Pay, queried again after a delay that grows, until it ends.</summary>
    public const string RefundFollow = "refund-follow";
}

/// <summary>What the unpaid-order timeout needs, even if the order row was never written (a group-buy order names its team, whose seat it frees).</summary>
public sealed record OrderTimeoutMessage(string OpenId, string OrderNo, IReadOnlyList<string> SkuIds, string? TeamId = null);

public sealed record OrderPaidMessage(string OpenId, string OrderNo);

/// <summary>
/// A refund to follow: query it (or, when WeChat Pay never got it, ask again under the same number). An after-sale
/// request whose refund had to wait (a minute between refunds of one payment) names itself, to be asked for then.
/// </summary>
public sealed record RefundFollowMessage(string OpenId, string OrderNo, string OutRefundNo, int Attempt, string? AfterSaleId = null);
