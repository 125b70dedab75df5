using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Reconciliation;

namespace WeStore.Storage.Reconciliation;

/// <summary>
/// <c>Reconciliations</c>: partition = the day (yyyyMMdd); row <c>summary</c> with the figures, rows
/// <c>diff|{kind}|{key}</c> for the differences. A re-run deletes the day's rows it no longer has and writes the rest,
/// in batches of at most 100 within the partition, summary last (a reader sees the new result whole or the old).
/// </summary>
internal sealed class ReconciliationStore(StorageClients clients) : IReconciliationStore
{
    private const string SummaryRow = "summary";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task SaveAsync(DayReconciliation result, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Reconciliations, cancellationToken);
        var partition = BusinessCalendar.DayKey(result.Day);
        var rows = result.Differences.Select(d => new TableEntity(partition, DiffRow(d))
        {
            ["Difference"] = JsonSerializer.Serialize(d, Json),
        }).ToList();
        var keep = rows.Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
        var stale = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"diff|"} and RowKey lt {"diff}"}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (!keep.Contains(e.RowKey)) stale.Add(e);
        }

        var actions = stale.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All))
            .Concat(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r))).ToList();
        foreach (var chunk in actions.Chunk(TableBatchGuard.MaxOperations)) await table.SubmitBatchAsync(chunk, cancellationToken);

        await table.UpsertEntityAsync(new TableEntity(partition, SummaryRow)
        {
            ["Outcome"] = result.Outcome.ToString(),
            ["BillLines"] = result.BillLines,
            ["StoreEntries"] = result.StoreEntries,
            ["Matched"] = result.Matched,
            ["MatchedPayments"] = result.MatchedPayments,
            ["MatchedRefunds"] = result.MatchedRefunds,
            ["Differences"] = result.Differences.Count,
            ["BillHash"] = result.BillHash,
            ["Archive"] = result.Archive,
            ["RanAt"] = result.RanAt,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<DayReconciliation?> GetAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Reconciliations, cancellationToken);
        var partition = BusinessCalendar.DayKey(day);
        var summary = await table.GetEntityIfExistsAsync<TableEntity>(partition, SummaryRow, cancellationToken: cancellationToken);
        if (!summary.HasValue || summary.Value is not { } s) return null;
        var differences = new List<ReconciliationDifference>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"diff|"} and RowKey lt {"diff}"}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (JsonSerializer.Deserialize<ReconciliationDifference>(e.GetString("Difference") ?? "null", Json) is { } d) differences.Add(d);
        }

        return new DayReconciliation(day, Enum.Parse<ReconciliationOutcome>(s.GetString("Outcome") ?? nameof(ReconciliationOutcome.Compared)), s.GetInt32("BillLines") ?? 0,
            s.GetInt32("StoreEntries") ?? 0, s.GetInt32("Matched") ?? 0, s.GetInt64("MatchedPayments") ?? 0, s.GetInt64("MatchedRefunds") ?? 0,
            [.. differences.OrderBy(d => d.Kind).ThenBy(d => d.OrderNo, StringComparer.Ordinal).ThenBy(d => d.Key, StringComparer.Ordinal)],
            s.GetString("BillHash"), s.GetString("Archive"), s.GetDateTimeOffset("RanAt") ?? default);
    }

    private static string DiffRow(ReconciliationDifference d)
        => string.Create(CultureInfo.InvariantCulture, $"diff|{d.Kind}|{(d.Entry == LedgerKind.Payment ? "pay" : "refund")}|{d.Key}");
}
