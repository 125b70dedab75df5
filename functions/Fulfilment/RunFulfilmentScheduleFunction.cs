using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Fulfilment;

namespace WeStore.Functions.Fulfilment;

/// <summary>
/// On <c>Fulfilment__Schedule</c> (default hourly): sends the auto-confirms and completions that fell due since the
/// last run, from the day index.
/// </summary>
public sealed class RunFulfilmentScheduleFunction(FulfilmentScheduler scheduler)
{
    [Function(nameof(RunFulfilmentScheduleFunction))]
    public Task Run([TimerTrigger("%Fulfilment__Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
        => scheduler.RunAsync(cancellationToken);
}
