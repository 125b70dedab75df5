using Microsoft.Extensions.Logging;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Orders;

namespace WeStore.Application.Fulfilment;

/// <summary>A step that follows an order's completion (a referral reward, a member fact); idempotent by order number.</summary>
public interface IOrderCompletedStep
{
    Task HandleAsync(Order order, CancellationToken cancellationToken);
}

/// <summary>
/// The <c>order-completed</c> consumer: the order is read once and handed to every step registered as an
/// <see cref="IOrderCompletedStep"/>, each idempotent by order number, so a redelivered event changes nothing more.
/// </summary>
public sealed class OrderCompletedPipeline(IOrderRepository orders, IEnumerable<IOrderCompletedStep> steps, ILogger<OrderCompletedPipeline> logger)
{
    public async Task HandleAsync(OrderCompletedMessage message, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(message.OpenId, message.OrderNo, cancellationToken);
        if (order?.Status != OrderStatus.Completed)
        {
            logger.LogWarning("order-completed for {OrderNo}, which is not completed; nothing to do", message.OrderNo);
            return;
        }

        foreach (var step in steps) await step.HandleAsync(order, cancellationToken);
    }
}
