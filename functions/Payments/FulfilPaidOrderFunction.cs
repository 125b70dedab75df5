using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Payments;
using WeStore.Domain.Orders;

namespace WeStore.Functions.Payments;

/// <summary>
/// The order-paid consumer (queue <c>order-paid</c>). A message that keeps failing ends in
/// <c>order-paid-poison</c>, where operators see it with its order number.
/// </summary>
public sealed class FulfilPaidOrderFunction(PaidOrderPipeline pipeline)
{
    [Function(nameof(FulfilPaidOrderFunction))]
    public Task Run([QueueTrigger(OrderQueues.Paid)] OrderPaidMessage message, CancellationToken cancellationToken)
        => pipeline.HandlePaidAsync(message, cancellationToken);
}
