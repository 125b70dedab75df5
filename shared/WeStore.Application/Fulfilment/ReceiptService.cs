using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Auth;
using WeStore.Application.Orders;
using WeStore.Domain.Common;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Orders;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Fulfilment;

/// <summary>
/// Receipt, from three sources that race to one conditional transition (the first records it, the others change
/// nothing): the buyer's confirmation in the Mini Program (only a hint: WeChat is asked with get_order whether it
/// holds the receipt), WeChat's <c>trade_manage_order_settlement</c> event, and the store's own auto-confirm. Once
/// received, the order's completion is scheduled <c>Fulfilment:AfterSaleDays</c> later.
/// </summary>
public sealed class ReceiptService(
    IOrderRepository orders,
    IOrderIndex index,
    IFulfilmentSchedule schedule,
    WeChatApiClient wechat,
    TradeManagement management,
    IOptions<WeChatPayOptions> pay,
    IOptions<FulfilmentOptions> options,
    TimeProvider time,
    ILogger<ReceiptService> logger)
{
    /// <summary>The buyer taps "confirm receipt" (the Mini Program's weappOrderConfirm component said success).</summary>
    public async Task<Result<OrderView>> ConfirmByBuyerAsync(MemberSession member, string orderNo, CancellationToken cancellationToken)
    {
        var order = OrderNumbers.IsValid(orderNo) ? await orders.GetAsync(member.OpenId, orderNo, cancellationToken) : null;
        if (order is null) return Error.NotFound("order_not_found", "No such order.");
        if (order.Status is OrderStatus.Received or OrderStatus.Completed) return OrderView.From(order);
        if (order.Status != OrderStatus.Shipped) return Error.Conflict("order_not_shipped", $"The order is {OrderView.StatusName(order.Status)}; only a shipped order can be received.");

        var at = time.GetUtcNow();
        if (await management.IsManagedAsync(cancellationToken))
        {
            // The component's answer comes from the client: WeChat's own record decides.
            var state = (await wechat.GetShippingOrderAsync(WxaSecOrderGetOrderRequest.For(order.TransactionId, pay.Value.MchId, order.OrderNo), cancellationToken)).Order;
            if (state is null || !state.IsReceived)
            {
                return Error.Conflict("receipt_not_confirmed", "WeChat has not recorded the receipt yet; confirm it in WeChat's confirmation page.");
            }
        }

        var result = await RecordAsync(order.OpenId, order.OrderNo, at, ReceiptSource.Buyer, cancellationToken);
        return result is null ? Error.NotFound("order_not_found", "No such order.") : OrderView.From(result);
    }

    /// <summary>WeChat's settlement event: confirmed in WeChat (by the buyer or automatically) or settled.</summary>
    public async Task<bool> OnSettlementAsync(string orderNo, DateTimeOffset confirmedAt, CancellationToken cancellationToken)
    {
        var openId = OrderNumbers.IsValid(orderNo) ? await index.FindOpenIdAsync(orderNo, cancellationToken) : null;
        if (openId is null)
        {
            logger.LogWarning("WeChat's settlement event names {OrderNo}, which is not a paid order here", orderNo);
            return false;
        }

        return await RecordAsync(openId, orderNo, confirmedAt, ReceiptSource.WeChat, cancellationToken) is not null;
    }

    /// <summary>The store's auto-confirm, when it falls due.</summary>
    public async Task AutoConfirmAsync(string openId, string orderNo, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(openId, orderNo, cancellationToken);
        if (order?.Status != OrderStatus.Shipped || order.Fulfilment.LastShippedAt is not { } last) return;
        var due = last + options.Value.AutoConfirm;
        if (due > time.GetUtcNow())
        {
            // Shipped again since it was scheduled (a later package): the schedule already holds the later date.
            return;
        }

        await RecordAsync(openId, orderNo, time.GetUtcNow(), ReceiptSource.AutoConfirm, cancellationToken);
    }

    /// <summary>The one transition all three sources go through; the order as it stands after (null: no such order).</summary>
    private async Task<Order?> RecordAsync(string openId, string orderNo, DateTimeOffset at, ReceiptSource source, CancellationToken cancellationToken)
    {
        Order? order = null;
        var outcome = await Optimistic.RetryAsync<ReceiptOutcome?>($"Order {orderNo}", async _ =>
        {
            order = await orders.GetAsync(openId, orderNo, cancellationToken);
            if (order is null) return Done(null);
            var result = order.ConfirmReceipt(at, source);
            if (result != ReceiptOutcome.Recorded) return Done(result);
            return await orders.TrySaveAsync(order, cancellationToken) ? Done(result) : Attempt<ReceiptOutcome?>.Again;
        }, cancellationToken);

        if (order is null) return null;
        if (outcome == ReceiptOutcome.Recorded || order.Status == OrderStatus.Received)
        {
            // After the transition (again, harmlessly, when a repeat finds it done): the index and the completion date.
            await index.SyncAsync(order, OrderBucket.Shipped, cancellationToken);
            if (order.Fulfilment.ReceivedAt is { } received)
            {
                await schedule.AddAsync(FulfilmentScheduler.Entry(DueKind.Complete, order, received + options.Value.AfterSale, time.GetUtcNow()), cancellationToken);
            }
        }

        if (outcome == ReceiptOutcome.Recorded) logger.LogInformation("Order {OrderNo} received ({Source})", orderNo, source);
        else if (outcome == ReceiptOutcome.NotShipped) logger.LogInformation("Receipt of {OrderNo} ({Source}) ignored: the order is {Status}", orderNo, source, order.Status);
        return order;

        static Attempt<ReceiptOutcome?> Done(ReceiptOutcome? outcome) => outcome;
    }
}
