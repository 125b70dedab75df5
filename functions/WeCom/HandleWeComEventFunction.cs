using Microsoft.Azure.Functions.Worker;
using WeStore.Application.WeCom;
using WeStore.Domain.Push;

namespace WeStore.Functions.WeCom;

/// <summary>The <c>wecom-events</c> consumer: contacts added (welcome, coupon, touch, tag), lost, edited.</summary>
public sealed class HandleWeComEventFunction(WeComEventHandler handler)
{
    [Function(nameof(HandleWeComEventFunction))]
    public Task Run([QueueTrigger(PushQueues.WeComEvents)] PushEventMessage message, CancellationToken cancellationToken)
        => handler.HandleAsync(message, cancellationToken);
}
