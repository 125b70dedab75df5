using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Loyalty;

namespace WeStore.Functions.Loyalty;

/// <summary>
/// Daily (setting <c>Loyalty__ExpirySchedule</c>, UTC; 18:00 UTC is 02:00 in Shanghai): fans out every due day's
/// expiring lots, catching up missed days, and the reminders for the day N days ahead.
/// </summary>
public sealed class ExpirePointsFunction(PointsExpiryService expiry)
{
    [Function(nameof(ExpirePointsFunction))]
    public Task Run([TimerTrigger("%Loyalty__ExpirySchedule%")] TimerInfo timer, CancellationToken cancellationToken)
        => expiry.RunAsync(cancellationToken);
}
