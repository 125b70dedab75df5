using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Payments;

namespace WeStore.Functions.Payments;

/// <summary>
/// On <c>Payments__SweepSchedule</c> (default every 5 minutes): payments whose recording was interrupted (the order-paid event never sent) are finished, by
/// asking WeChat Pay. Unpaid orders cannot lose their timeout: it is enqueued before anything else is written.
/// </summary>
public sealed class SweepPaymentsFunction(PaymentRecorder payments, ILogger<SweepPaymentsFunction> logger)
{
    [Function(nameof(SweepPaymentsFunction))]
    public async Task Run([TimerTrigger("%Payments__SweepSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var swept = await payments.SweepAsync(cancellationToken);
        if (swept > 0) logger.LogWarning("The sweeper finished {Count} interrupted payments", swept);
    }
}
