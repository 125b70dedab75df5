using Microsoft.Azure.Functions.Worker;
using WeStore.Application.OfficialAccount;
using WeStore.Domain.Push;

namespace WeStore.Functions.OfficialAccount;

/// <summary>The <c>official-account-events</c> consumer: follows (with the code, the unionid, the coupon), scans by followers, unfollows.</summary>
public sealed class HandleOfficialAccountEventFunction(OfficialAccountEventHandler handler)
{
    [Function(nameof(HandleOfficialAccountEventFunction))]
    public Task Run([QueueTrigger(OfficialAccountPush.Queue)] PushEventMessage message, CancellationToken cancellationToken)
        => handler.HandleAsync(message, cancellationToken);
}
