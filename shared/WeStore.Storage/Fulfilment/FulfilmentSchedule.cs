using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Fulfilment;

namespace WeStore.Storage.Fulfilment;

/// <summary>
/// <c>FulfilmentSchedule</c>: partition = the Shanghai day an entry falls due (yyyyMMdd), row
/// <c>{due time, sortable}|{kind}|{orderNo}</c> with the member, so a run's range query reads only what fell due since
/// the last run; partition <c>cursor</c> (which sorts after every day) holds the due time up to which everything was sent.
/// </summary>
internal sealed class FulfilmentSchedule(StorageClients clients) : IFulfilmentSchedule
{
    private const string CursorPartition = "cursor";
    private const string CursorRow = "due";
    private const int PageSize = 500;

    public async Task AddAsync(ScheduledOrder entry, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FulfilmentSchedule, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(BusinessCalendar.DayKey(entry.DueAt), Instant(entry.DueAt) + "|" + entry.Kind + "|" + entry.OrderNo)
        {
            ["OpenId"] = entry.OpenId,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async IAsyncEnumerable<IReadOnlyList<ScheduledOrder>> ReadPagesAsync(
        DateTimeOffset after, DateTimeOffset upTo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FulfilmentSchedule, cancellationToken);
        // One key-range query over the days' partitions: row keys are absolute instants, so the same row range applies
        // in each, and a run after a long pause (or a clock moved on) reads only what lies between, never the table.
        // "{instant}|~" sorts after every row of that instant.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {BusinessCalendar.DayKey(after)} and PartitionKey le {BusinessCalendar.DayKey(upTo)} and RowKey gt {Instant(after) + "|~"} and RowKey le {Instant(upTo) + "|~"}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, PageSize, ["RowKey", "OpenId"], cancellationToken).AsPages(pageSizeHint: PageSize))
        {
            yield return page.Values.Select(e =>
            {
                var parts = e.RowKey.Split('|', 3);
                var dueAt = new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero);
                return new ScheduledOrder(Enum.Parse<DueKind>(parts[1]), e.GetString("OpenId") ?? string.Empty, parts[2], dueAt);
            }).ToList();
        }
    }

    public async Task<DateTimeOffset?> GetCursorAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FulfilmentSchedule, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(CursorPartition, CursorRow, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset("UpTo") : null;
    }

    public async Task SetCursorAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FulfilmentSchedule, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(CursorPartition, CursorRow) { ["UpTo"] = upTo }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>UTC ticks, 19 digits: sorts as time does.</summary>
    private static string Instant(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
