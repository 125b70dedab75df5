using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Segments;

namespace WeStore.Functions.Segments;

/// <summary>The <c>broadcast-work</c> consumer: a page of the segment, a staff member's chunk, or a task to follow.</summary>
public sealed class SendBroadcastFunction(BroadcastService broadcasts)
{
    [Function(nameof(SendBroadcastFunction))]
    public Task Run([QueueTrigger(SegmentQueues.Broadcasts)] BroadcastWorkMessage message, CancellationToken cancellationToken) => broadcasts.WorkAsync(message, cancellationToken);
}
