using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Fulfilment;
using WeStore.Domain.Fulfilment;

namespace WeStore.Functions.Fulfilment;

/// <summary>The <c>fulfilment-due</c> consumer: a batch of auto-confirms or completions, each an idempotent transition.</summary>
public sealed class HandleDueOrdersFunction(FulfilmentScheduler scheduler)
{
    [Function(nameof(HandleDueOrdersFunction))]
    public Task Run([QueueTrigger(FulfilmentQueues.FulfilmentDue)] FulfilmentDueMessage message, CancellationToken cancellationToken)
        => scheduler.HandleAsync(message, cancellationToken);
}
