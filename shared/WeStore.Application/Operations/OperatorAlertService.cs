using WeStore.Domain.Common;
using WeStore.Domain.Operations;

namespace WeStore.Application.Operations;

public sealed record OperatorAlertView(string Id, string Kind, string Message, string? OrderNo, DateTimeOffset At);

public sealed record OperatorAlertList(string Day, IReadOnlyList<OperatorAlertView> Alerts);

/// <summary>What operators must act on, a Shanghai day at a time (today by default), newest first.</summary>
public sealed class OperatorAlertService(IOperatorAlerts alerts, TimeProvider time)
{
    public async Task<OperatorAlertList> ListAsync(DateOnly? day, CancellationToken cancellationToken)
    {
        var which = day ?? BusinessCalendar.DayOf(time.GetUtcNow());
        var list = await alerts.ListAsync(which, cancellationToken);
        return new OperatorAlertList(which.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            [.. list.Select(a => new OperatorAlertView(a.Id, a.Kind, a.Message, a.OrderNo, a.At))]);
    }
}
