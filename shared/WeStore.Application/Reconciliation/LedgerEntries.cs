using WeStore.Domain.Orders;
using WeStore.Domain.Reconciliation;

namespace WeStore.Application;

/// <summary>The ledger's entries as the payment and refund flows write them.</summary>
public static class LedgerEntries
{
    /// <summary>A payment WeChat Pay took (accepted, or stray and refunded), on the day it succeeded.</summary>
    public static LedgerEntry Payment(Order order)
        => new(LedgerKind.Payment, order.OrderNo, order.OrderNo, order.PaidAmount, "SUCCESS", order.PaidAt ?? order.CreatedAt, order.TransactionId);

    /// <summary>A refund on the day it was asked for, in WeChat Pay's word for where it stands.</summary>
    public static LedgerEntry Refund(Order order, OrderRefund refund) => new(LedgerKind.Refund, refund.OutRefundNo, order.OrderNo, refund.Amount, refund.Status switch
    {
        RefundStatus.Succeeded => "SUCCESS",
        RefundStatus.Failed => "CLOSED",
        RefundStatus.Abnormal => "ABNORMAL",
        _ => "PROCESSING",
    }, refund.RequestedAt);
}
