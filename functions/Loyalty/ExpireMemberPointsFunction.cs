using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Loyalty;
using WeStore.Domain.Loyalty;

namespace WeStore.Functions.Loyalty;

/// <summary>Queue <c>points-expiry</c>: expires a batch of members' due lots (one storage batch per member).</summary>
public sealed class ExpireMemberPointsFunction(PointsExpiryService expiry)
{
    [Function(nameof(ExpireMemberPointsFunction))]
    public Task Run([QueueTrigger(LoyaltyQueues.Expiry)] PointsExpiryMessage message, CancellationToken cancellationToken)
        => expiry.ExpireAsync(message, cancellationToken);
}
