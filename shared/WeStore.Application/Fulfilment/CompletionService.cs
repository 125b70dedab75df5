using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Telemetry;
using WeStore.Domain.Common;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;

namespace WeStore.Application.Fulfilment;

/// <summary>
/// Completion: <c>Fulfilment:AfterSaleDays</c> after receipt the order is done, and <c>order-completed</c> is sent,
/// the event that completion rewards hang on. An order with an after-sale request still open waits.
/// </summary>
public sealed class CompletionService(
    IOrderRepository orders,
    IOrderIndex index,
    IFulfilmentSchedule schedule,
    IMessageSender messages,
    IEnumerable<ICompletionGate> gates,
    IOptions<FulfilmentOptions> options,
    TimeProvider time,
    ILogger<CompletionService> logger)
{
    /// <summary>
    /// Puts a received order's completion on the schedule: at the end of its after-sale window, or (an after-sale
    /// request that held it back has just closed) in a few minutes. Harmless to repeat.
    /// </summary>
    public async Task ScheduleAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.Status != OrderStatus.Received || order.Fulfilment.ReceivedAt is not { } received) return;
        var now = time.GetUtcNow();
        var due = received + options.Value.AfterSale;
        await schedule.AddAsync(FulfilmentScheduler.Entry(DueKind.Complete, order, due < now ? now : due, now), cancellationToken);
    }

    public async Task CompleteAsync(string openId, string orderNo, CancellationToken cancellationToken)
    {
        Order? order = null;
        var completed = await Optimistic.RetryAsync<bool>($"Order {orderNo}", async _ =>
        {
            order = await orders.GetAsync(openId, orderNo, cancellationToken);
            if (order?.Fulfilment.ReceivedAt is not { } received || order.Status != OrderStatus.Received) return false;
            if (received + options.Value.AfterSale > time.GetUtcNow()) return false;
            foreach (var gate in gates)
            {
                if (await gate.HoldsAsync(order, cancellationToken) is { } why)
                {
                    logger.LogInformation("Order {OrderNo} is not completed yet: {Reason}", orderNo, why);
                    return false;
                }
            }

            return order.Complete(time.GetUtcNow()) && await orders.TrySaveAsync(order, cancellationToken) ? true : Attempt<bool>.Again;
        }, cancellationToken);

        if (order?.Status != OrderStatus.Completed) return;
        // After the save, again on a repeat: the index, and the event (its consumers are idempotent by order number).
        await index.SyncAsync(order, OrderBucket.Received, cancellationToken);
        await messages.SendAsync(FulfilmentQueues.OrderCompleted, new OrderCompletedMessage(order.OpenId, order.OrderNo), cancellationToken: cancellationToken);
        if (completed)
        {
            logger.LogInformation("Order {OrderNo} completed", orderNo);
            WeStoreTelemetry.OrdersCompleted.Add(1);
        }
    }
}

/// <summary>Something that can hold an order back from completing (an after-sale request still open); null lets it complete.</summary>
public interface ICompletionGate
{
    Task<string?> HoldsAsync(Order order, CancellationToken cancellationToken);
}
