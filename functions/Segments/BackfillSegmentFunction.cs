using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Segments;

namespace WeStore.Functions.Segments;

/// <summary>The <c>segment-backfill</c> consumer: one page of one facts partition for a new segment.</summary>
public sealed class BackfillSegmentFunction(SegmentService segments)
{
    [Function(nameof(BackfillSegmentFunction))]
    public Task Run([QueueTrigger(SegmentQueues.Backfill)] SegmentBackfillMessage message, CancellationToken cancellationToken) => segments.BackfillAsync(message, cancellationToken);
}
