using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Fulfilment;
using WeStore.Domain.Fulfilment;

namespace WeStore.Functions.Fulfilment;

/// <summary>The <c>order-shipped</c> consumer: the shipped notice to a member who granted it.</summary>
public sealed class NotifyShippedFunction(ShippedNotifier notifier)
{
    [Function(nameof(NotifyShippedFunction))]
    public Task Run([QueueTrigger(FulfilmentQueues.OrderShipped)] OrderShippedMessage message, CancellationToken cancellationToken)
        => notifier.NotifyAsync(message, cancellationToken);
}
