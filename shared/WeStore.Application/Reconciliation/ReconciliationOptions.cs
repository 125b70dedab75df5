namespace WeStore.Application.Reconciliation;

/// <summary>
/// The <c>Reconciliation:*</c> settings. The timer's schedule is <c>Reconciliation:Schedule</c> (NCRONTAB, UTC; the
/// default <c>0 30 2 * * *</c> is 10:30 in Shanghai: WeChat Pay makes yesterday's bill from 9:00 and advises fetching it after 10:00).
/// </summary>
public static class ReconciliationOptions
{
    public const string ScheduleSetting = "Reconciliation:Schedule";
    public const string DefaultSchedule = "0 30 2 * * *";
}
