using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Segments;

namespace WeStore.Functions.Segments;

/// <summary>The <c>member-facts</c> consumer: one member's facts, segments, flow entries and credits.</summary>
public sealed class ApplyMemberFactsFunction(MemberFactsService facts)
{
    [Function(nameof(ApplyMemberFactsFunction))]
    public Task Run([QueueTrigger(SegmentQueues.MemberFacts)] MemberFactsMessage message, CancellationToken cancellationToken) => facts.ApplyAsync(message, cancellationToken);
}
