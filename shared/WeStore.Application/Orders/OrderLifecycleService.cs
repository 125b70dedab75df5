using Microsoft.Extensions.Logging;
using WeStore.Application.Auth;
using WeStore.Application.Payments;
using WeStore.Domain.Catalog;
using WeStore.Domain.Common;
using WeStore.Domain.Orders;
using WeStore.WeChat;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Orders;

/// <summary>
/// What happens to a placed order: paid (from the notification, or found paid when its time ran out), closed when
/// the payment window passes, cancelled by the member. WeChat Pay is asked or told first, so an order can never
/// be closed here while it is paid there. Every step is idempotent: a message processed twice changes nothing more.
/// </summary>
public sealed class OrderLifecycleService(
    IOrderRepository orders,
    IStockRepository stock,
    PaymentService payments,
    WeStore.Application.Coupons.CouponService coupons,
    WeStore.Application.Attribution.ConversionRecorder conversions,
    WeStore.Application.Loyalty.LoyaltyService loyalty,
    WeChatPayClient pay,
    TimeProvider time,
    ILogger<OrderLifecycleService> logger)
{
    private const int MaxConflicts = 10;

    /// <summary>The unpaid-order timeout.</summary>
    public async Task HandleTimeoutAsync(OrderTimeoutMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var order = await orders.GetAsync(message.OpenId, message.OrderNo, cancellationToken);
            if (order is null)
            {
                // The request that sent this message never wrote its order: undo whatever it left behind.
                await CloseAtWeChatPayAsync(message.OrderNo, cancellationToken);
                await ReleaseAsync(message.OrderNo, message.SkuIds, cancellationToken);
                return;
            }

            if (order.IsFinishedWithoutPayment)
            {
                await ReleaseAsync(order, cancellationToken);
                return;
            }

            if (!order.IsUnpaidAndOpen) return;

            var transaction = await pay.QueryByOutTradeNoAsync(order.OrderNo, cancellationToken);
            if (transaction?.IsPaid == true)
            {
                logger.LogWarning("Order {OrderNo} was paid but its notification had not arrived; taking the paid path", order.OrderNo);
                if (await payments.RecordAsync(order, transaction, cancellationToken) == RecordOutcome.InProgress)
                {
                    throw new InvalidOperationException($"The payment of {order.OrderNo} is being recorded elsewhere; the timeout will be retried.");
                }

                return;
            }

            if (!await CloseAtWeChatPayAsync(order.OrderNo, cancellationToken))
            {
                continue; // paid meanwhile: the next round takes the paid path
            }

            order.Close("payment window passed", time.GetUtcNow());
            if (!await orders.TrySaveAsync(order, cancellationToken)) continue;
            await ReleaseAsync(order, cancellationToken);
            logger.LogInformation("Order {OrderNo} closed unpaid", order.OrderNo);
            return;
        }

        throw new InvalidOperationException($"Order {message.OrderNo} kept changing during its timeout; the message will be retried.");
    }

    /// <summary>The member cancels an unpaid order.</summary>
    public async Task<Result<OrderView>> CancelAsync(MemberSession member, string orderNo, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var order = OrderNumbers.IsValid(orderNo) ? await orders.GetAsync(member.OpenId, orderNo, cancellationToken) : null;
            if (order is null) return Error.NotFound("order_not_found", "No such order.");
            if (order.Status == OrderStatus.Cancelled) return OrderView.From(order);
            if (!order.IsUnpaidAndOpen) return Error.Conflict("order_not_cancellable", $"The order is {OrderView.StatusName(order.Status)} and can no longer be cancelled.");

            if (!await CloseAtWeChatPayAsync(order.OrderNo, cancellationToken))
            {
                var transaction = await pay.QueryByOutTradeNoAsync(order.OrderNo, cancellationToken);
                if (transaction?.IsPaid == true) await payments.RecordAsync(order, transaction, cancellationToken);
                return Error.Conflict("order_already_paid", "The order has already been paid.");
            }

            order.Cancel(time.GetUtcNow());
            if (!await orders.TrySaveAsync(order, cancellationToken)) continue;
            await ReleaseAsync(order, cancellationToken);
            return OrderView.From(order);
        }

        return Error.Conflict("order_busy", "The order is changing; try again.") with { RetryAfter = TimeSpan.FromSeconds(1) };
    }

    /// <summary>Closes the order at WeChat Pay; false if WeChat Pay says it is already paid.</summary>
    private async Task<bool> CloseAtWeChatPayAsync(string orderNo, CancellationToken cancellationToken)
    {
        try
        {
            await pay.CloseAsync(orderNo, cancellationToken);
            return true;
        }
        catch (WeChatPayException e) when (e.Code == "ORDERPAID")
        {
            return false;
        }
        catch (WeChatPayException e) when (e.Status == 404 || e.Code is "ORDER_NOT_EXIST" or "ORDER_CLOSED")
        {
            return true;
        }
    }

    /// <summary>An order that ended unpaid gives back its stock, its coupon and its points, and counts as an unconverted order (all idempotently).</summary>
    private async Task ReleaseAsync(Order order, CancellationToken cancellationToken)
    {
        await ReleaseAsync(order.OrderNo, order.Lines.Select(l => l.SkuId), cancellationToken);
        if (order.CouponId is { } couponId) await coupons.ReturnAsync(order.OpenId, couponId, order.OrderNo, cancellationToken);
        await loyalty.ReleaseAsync(order, cancellationToken);
        await conversions.RecordUnpaidAsync(order, cancellationToken);
    }

    private async Task ReleaseAsync(string orderNo, IEnumerable<string> skuIds, CancellationToken cancellationToken)
    {
        foreach (var skuId in skuIds.Distinct(StringComparer.Ordinal))
        {
            await stock.ReleaseAsync(orderNo, skuId, cancellationToken);
        }
    }
}
