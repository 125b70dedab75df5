using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Reconciliation;

namespace WeStore.Storage.Reconciliation;

/// <summary><c>PaymentLedger</c>: partition = the Shanghai day the money moved (yyyyMMdd), rows <c>pay|{out_trade_no}</c> and <c>refund|{out_refund_no}</c>.</summary>
internal sealed class PaymentLedger(StorageClients clients) : IPaymentLedger
{
    private const int PageSize = 1000;

    public async Task RecordAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PaymentLedger, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(BusinessCalendar.DayKey(entry.At), Row(entry.Kind, entry.Key))
        {
            ["OutTradeNo"] = entry.OutTradeNo,
            ["Amount"] = entry.Amount,
            ["State"] = entry.State,
            ["At"] = entry.At,
            ["TransactionId"] = entry.TransactionId,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async IAsyncEnumerable<LedgerEntry> ReadDayAsync(DateOnly day, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PaymentLedger, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {BusinessCalendar.DayKey(day)}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, PageSize, cancellationToken: cancellationToken))
        {
            var bar = e.RowKey.IndexOf('|');
            var kind = e.RowKey[..bar] == "pay" ? LedgerKind.Payment : LedgerKind.Refund;
            yield return new LedgerEntry(kind, e.RowKey[(bar + 1)..], e.GetString("OutTradeNo") ?? string.Empty, e.GetInt64("Amount") ?? 0,
                e.GetString("State") ?? string.Empty, e.GetDateTimeOffset("At") ?? default, e.GetString("TransactionId"));
        }
    }

    private static string Row(LedgerKind kind, string key) => (kind == LedgerKind.Payment ? "pay|" : "refund|") + key;
}
