namespace WeStore.Application.Payments;

/// <summary>A refund as the operator sees it, with the order's refunded total and status after it.</summary>
public sealed record RefundView(string OrderNo, string OutRefundNo, long Amount, string Status, long RefundedAmount, string OrderStatus);
