using Microsoft.Extensions.Logging;
using WeStore.Application.Attribution;
using WeStore.Application.Coupons;
using WeStore.Application.Loyalty;
using WeStore.Domain.Catalog;
using WeStore.Domain.Orders;

namespace WeStore.Application.Payments;

/// <summary>
/// The order-paid pipeline: what follows a payment. Each step is idempotent by order number, so a redelivered
/// or re-published event changes nothing more.
/// </summary>
public sealed class PaidOrderPipeline(
    IOrderRepository orders, IOrderIndex index, WeStore.Domain.Reconciliation.IPaymentLedger ledger, IStockRepository stock, CouponWallet wallet, CouponIssuance issuance,
    ConversionRecorder conversions, LoyaltyService loyalty, WeStore.Application.Segments.MemberFactsNotifier facts,
    WeStore.Application.GroupBuys.TeamSettlement teams, ILogger<PaidOrderPipeline> logger)
{
    public async Task HandlePaidAsync(OrderPaidMessage message, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(message.OpenId, message.OrderNo, cancellationToken);
        if (order is null || !order.HasBeenPaid)
        {
            logger.LogWarning("order-paid for {OrderNo}, which is not paid; nothing to do", message.OrderNo);
            return;
        }

        // Findable by its number, in the operators' queue to ship, and in the day's book for reconciliation: at once.
        await Task.WhenAll(
            index.SyncAsync(order, previous: null, cancellationToken),
            ledger.RecordAsync(LedgerEntries.Payment(order), cancellationToken));

        // The held stock becomes sold stock.
        foreach (var line in order.Lines)
        {
            await stock.MarkSoldAsync(order.OrderNo, line.SkuId, cancellationToken);
        }

        // The coupon that backed the order is spent.
        if (order.CouponId is { } couponId) await wallet.UseAsync(order.OpenId, couponId, order.OrderNo, cancellationToken);

        // Points for the payment, as a lot with its own expiry.
        await loyalty.EarnAsync(order, cancellationToken);

        // The QR code that brought the member in gets the conversion.
        await conversions.RecordPaidAsync(order, cancellationToken);

        // A post-purchase coupon, once per order.
        await issuance.IssuePostPurchaseAsync(order.OpenId, order.OrderNo, cancellationToken);

        // A group-buy seat is paid: the team may be won (its orders go to shipping) or, failed, the order refunded.
        await teams.OnPaidAsync(order, cancellationToken);

        // Last, so the facts consumer reads the points and wallet this payment changed.
        await facts.NotifyAsync(new(order.OpenId, WeStore.Application.Segments.FactChanges.Paid, order.PaidAt ?? order.CreatedAt, order.OrderNo,
            order.Address.ProvinceName, order.PaidAmount > 0 ? order.PaidAmount : order.Amounts.Payable), cancellationToken);
        logger.LogInformation("Order {OrderNo} fulfilment steps done", order.OrderNo);
    }
}
