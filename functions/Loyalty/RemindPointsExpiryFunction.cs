using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Loyalty;
using WeStore.Domain.Loyalty;

namespace WeStore.Functions.Loyalty;

/// <summary>Queue <c>points-reminder</c>: one subscription message per member for points about to expire.</summary>
public sealed class RemindPointsExpiryFunction(PointsExpiryService expiry)
{
    [Function(nameof(RemindPointsExpiryFunction))]
    public Task Run([QueueTrigger(LoyaltyQueues.Reminder)] PointsExpiryMessage message, CancellationToken cancellationToken)
        => expiry.RemindAsync(message, cancellationToken);
}
