namespace WeStore.Domain.Operations;

/// <summary>
/// Something an operator must act on, that no request waits for: WeChat reminding the store to ship or to connect
/// the shipping API, a shipping upload that failed for good. Recorded once per id (a repeat replaces it).
/// </summary>
public sealed record OperatorAlert(string Id, string Kind, string Message, string? OrderNo, DateTimeOffset At);

public static class AlertKinds
{
    public const string RemindShipping = "remindShipping";
    public const string RemindAccessApi = "remindAccessApi";
    public const string ShippingUploadFailed = "shippingUploadFailed";
    public const string RefundAbnormal = "refundAbnormal";
    public const string ReconciliationDifferences = "reconciliationDifferences";
}

/// <summary>Alerts by Shanghai day (partition), newest day first for whoever reads them.</summary>
public interface IOperatorAlerts
{
    Task RecordAsync(OperatorAlert alert, CancellationToken cancellationToken);

    Task<IReadOnlyList<OperatorAlert>> ListAsync(DateOnly day, CancellationToken cancellationToken);
}
