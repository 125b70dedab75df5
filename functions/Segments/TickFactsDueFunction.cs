using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Segments;

namespace WeStore.Functions.Segments;

/// <summary>Daily (setting <c>Segments__DueSchedule</c>, UTC): members whose facts change with time alone (stages, windows, coupons' ends) get a look; segment sizes are recorded.</summary>
public sealed class TickFactsDueFunction(SegmentService segments)
{
    [Function(nameof(TickFactsDueFunction))]
    public Task Run([TimerTrigger("%Segments__DueSchedule%")] TimerInfo timer, CancellationToken cancellationToken) => segments.RunDueAsync(cancellationToken);
}
