using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Fulfilment;
using WeStore.Domain.Fulfilment;

namespace WeStore.Functions.Fulfilment;

/// <summary>The <c>order-completed</c> consumer: every step that hangs on completion, each idempotent by order number.</summary>
public sealed class HandleOrderCompletedFunction(OrderCompletedPipeline pipeline)
{
    [Function(nameof(HandleOrderCompletedFunction))]
    public Task Run([QueueTrigger(FulfilmentQueues.OrderCompleted)] OrderCompletedMessage message, CancellationToken cancellationToken)
        => pipeline.HandleAsync(message, cancellationToken);
}
