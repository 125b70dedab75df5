using System.Globalization;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Operations;

namespace WeStore.Storage.Operations;

/// <summary><c>OperatorAlerts</c>: partition = Shanghai day (yyyyMMdd), row <c>{kind}|{id}</c>; recording is an upsert.</summary>
internal sealed class OperatorAlertStore(StorageClients clients) : IOperatorAlerts
{
    public async Task RecordAsync(OperatorAlert alert, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.OperatorAlerts, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Day(BusinessCalendar.DayOf(alert.At)), alert.Kind + "|" + KeySafe(alert.Id))
        {
            ["Message"] = alert.Message.Length > 1000 ? alert.Message[..1000] : alert.Message,
            ["OrderNo"] = alert.OrderNo,
            ["At"] = alert.At,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<OperatorAlert>> ListAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.OperatorAlerts, cancellationToken);
        var alerts = new List<OperatorAlert>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Day(day)}"), cancellationToken: cancellationToken))
        {
            var bar = e.RowKey.IndexOf('|');
            alerts.Add(new OperatorAlert(e.RowKey[(bar + 1)..], e.RowKey[..bar], e.GetString("Message") ?? string.Empty, e.GetString("OrderNo"), e.GetDateTimeOffset("At") ?? default));
        }

        return [.. alerts.OrderByDescending(a => a.At)];
    }

    /// <summary>An id from an event may hold what a row key cannot ('/', '\\', '#', '?', control characters).</summary>
    private static string KeySafe(string id)
    {
        var safe = new string([.. id.Where(c => c is not ('/' or '\\' or '#' or '?') && !char.IsControl(c)).Take(200)]);
        return safe.Length == 0 ? "-" : safe;
    }

    private static string Day(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
