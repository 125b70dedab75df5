using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Push;
using WeStore.Domain.Push;

namespace WeStore.Functions.Push;

/// <summary>The <c>miniprogram-events</c> consumer: settlement, WeChat's reminders, subscription grants.</summary>
public sealed class HandleMiniProgramEventFunction(MiniProgramEventHandler handler)
{
    [Function(nameof(HandleMiniProgramEventFunction))]
    public Task Run([QueueTrigger(PushQueues.MiniProgramEvents)] PushEventMessage message, CancellationToken cancellationToken)
        => handler.HandleAsync(message, cancellationToken);
}
