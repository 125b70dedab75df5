using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Orders;
using WeStore.Domain.Orders;

namespace WeStore.Functions.Orders;

/// <summary>
/// The unpaid-order timeout (queue <c>order-timeout</c>, sent delayed by the payment window): asks WeChat Pay first;
/// a paid order takes the paid path, anything else is closed there and here and its stock released.
/// </summary>
public sealed class CloseUnpaidOrderFunction(OrderLifecycleService lifecycle)
{
    [Function(nameof(CloseUnpaidOrderFunction))]
    public Task Run([QueueTrigger(OrderQueues.Timeout)] OrderTimeoutMessage message, CancellationToken cancellationToken)
        => lifecycle.HandleTimeoutAsync(message, cancellationToken);
}
