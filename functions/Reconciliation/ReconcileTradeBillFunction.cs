using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Reconciliation;

namespace WeStore.Functions.Reconciliation;

/// <summary>
/// On <c>Reconciliation__Schedule</c> (default <c>0 30 2 * * *</c>: 10:30 in Shanghai): yesterday's trade bill
/// against the store's books. A difference raises a metric, an error log naming the day, and an alert.
/// </summary>
public sealed class ReconcileTradeBillFunction(ReconciliationService reconciliation)
{
    [Function(nameof(ReconcileTradeBillFunction))]
    public Task Run([TimerTrigger("%Reconciliation__Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
        => reconciliation.RunYesterdayAsync(cancellationToken);
}
