using Microsoft.Azure.Functions.Worker;
using WeStore.Application.AfterSales;
using WeStore.Domain.Orders;

namespace WeStore.Functions.AfterSales;

/// <summary>The <c>refund-follow</c> consumer: a refund not yet final is queried until it is (or, for an after-sale request, asked for once its minute has passed).</summary>
public sealed class FollowRefundFunction(RefundFollower follower)
{
    [Function(nameof(FollowRefundFunction))]
    public Task Run([QueueTrigger(OrderQueues.RefundFollow)] RefundFollowMessage message, CancellationToken cancellationToken)
        => follower.HandleAsync(message, cancellationToken);
}
