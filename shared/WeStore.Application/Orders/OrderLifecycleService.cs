using Microsoft.Extensions.Logging;
using WeStore.Application.Attribution;
using WeStore.Application.Auth;
using WeStore.Application.Payments;
using WeStore.Domain.Common;
using WeStore.Domain.Orders;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Orders;

/// <summary>
/// What happens to a placed order: paid (from the notification, or found paid when its time ran out), closed when
/// the payment window passes, cancelled by the member. WeChat Pay is asked or told first, so an order can never
/// be closed here while it is paid there. Every step is idempotent: a message processed twice changes nothing more.
/// </summary>
public sealed class OrderLifecycleService(
    IOrderRepository orders,
    PaymentRecorder payments,
    UnpaidOrderRelease release,
    OrderAttributionCopier attribution,
    WeChatPayClient pay,
    TimeProvider time,
    ILogger<OrderLifecycleService> logger)
{
    /// <summary>The unpaid-order timeout (and a failed group-buy team closing its unpaid orders early, with its own reason).</summary>
    public Task HandleTimeoutAsync(OrderTimeoutMessage message, CancellationToken cancellationToken, string reason = "payment window passed")
        => Optimistic.RetryAsync($"Order {message.OrderNo}", async _ =>
        {
            var order = await orders.GetAsync(message.OpenId, message.OrderNo, cancellationToken);
            if (order is null)
            {
                // The request that sent this message never wrote its order: undo whatever it left behind.
                await CloseAtWeChatPayAsync(message.OrderNo, cancellationToken);
                await release.ReleaseStockAsync(message.OrderNo, message.SkuIds, cancellationToken);
                if (message.TeamId is { } teamId) await release.FreeSeatAsync(teamId, message.OpenId, message.OrderNo, cancellationToken);
                return true;
            }

            if (order.IsFinishedWithoutPayment)
            {
                await release.ReleaseAsync(order, cancellationToken);
                return true;
            }

            if (!order.IsUnpaidAndOpen) return true;

            var copy = attribution.ReadAsync(order, cancellationToken);
            var transaction = await pay.QueryByOutTradeNoAsync(order.OrderNo, cancellationToken);
            if (transaction?.IsPaid == true)
            {
                logger.LogWarning("Order {OrderNo} was paid but its notification had not arrived; taking the paid path", order.OrderNo);
                if (await payments.RecordAsync(order, transaction, cancellationToken) == RecordOutcome.InProgress)
                {
                    throw new InvalidOperationException($"The payment of {order.OrderNo} is being recorded elsewhere; the timeout will be retried.");
                }

                return true;
            }

            // Paid meanwhile: the next round takes the paid path.
            if (!await CloseAtWeChatPayAsync(order.OrderNo, cancellationToken)) return false;

            OrderAttributionCopier.Attach(order, await copy);
            order.Close(reason, time.GetUtcNow());
            if (!await orders.TrySaveAsync(order, cancellationToken)) return false;
            await release.ReleaseAsync(order, cancellationToken);
            logger.LogInformation("Order {OrderNo} closed unpaid", order.OrderNo);
            return true;
        }, cancellationToken);

    /// <summary>The member cancels an unpaid order.</summary>
    public Task<Result<OrderView>> CancelAsync(MemberSession member, string orderNo, CancellationToken cancellationToken)
        => Optimistic.RetryAsync<Result<OrderView>>($"Order {orderNo}", async _ =>
        {
            var order = OrderNumbers.IsValid(orderNo) ? await orders.GetAsync(member.OpenId, orderNo, cancellationToken) : null;
            if (order is null) return Done(Error.NotFound("order_not_found", "No such order."));
            if (order.Status == OrderStatus.Cancelled) return Done(OrderView.From(order));
            if (!order.IsUnpaidAndOpen) return Done(Error.Conflict("order_not_cancellable", $"The order is {OrderView.StatusName(order.Status)} and can no longer be cancelled."));

            var copy = attribution.ReadAsync(order, cancellationToken);
            if (!await CloseAtWeChatPayAsync(order.OrderNo, cancellationToken))
            {
                var transaction = await pay.QueryByOutTradeNoAsync(order.OrderNo, cancellationToken);
                if (transaction?.IsPaid == true) await payments.RecordAsync(order, transaction, cancellationToken);
                return Done(Error.Conflict("order_already_paid", "The order has already been paid."));
            }

            OrderAttributionCopier.Attach(order, await copy);
            order.Cancel(time.GetUtcNow());
            if (!await orders.TrySaveAsync(order, cancellationToken)) return Attempt<Result<OrderView>>.Again;
            await release.ReleaseAsync(order, cancellationToken);
            return Done(OrderView.From(order));
        }, cancellationToken);

    private static Attempt<Result<OrderView>> Done(Result<OrderView> result) => result;

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
}
