using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using WeStore.Application.Telemetry;
using WeStore.Domain.Common;
using WeStore.Domain.Operations;
using WeStore.Domain.Reconciliation;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Reconciliation;

/// <summary>
/// The daily reconciliation with WeChat Pay's trade bill
/// (https://pay.weixin.qq.com/doc/v3/merchant/4012556654): the day's bill is fetched at once (its link lasts
/// minutes) into a temporary file, archived as it came (gzip) to blob storage, checked against WeChat Pay's SHA1 of the
/// decompressed file (a mismatch is refused, not parsed), then read as a stream, line by line, against the store's
/// ledger of the day, which is read from one partition. Matched lines are counted; every other line is a difference
/// naming its order: in the bill and not the store, in the store and not the bill, or both with another amount or
/// state. The summary row must add up to the detail lines. A re-run replaces the day's result.
/// </summary>
public sealed class ReconciliationService(
    WeChatPayClient pay,
    IPaymentLedger ledger,
    IReconciliationStore results,
    IBillArchive archive,
    IOperatorAlerts alerts,
    TimeProvider time,
    ILogger<ReconciliationService> logger)
{
    public Task<DayReconciliation?> GetAsync(DateOnly day, CancellationToken cancellationToken) => results.GetAsync(day, cancellationToken);

    /// <summary>The timer's run: yesterday, Shanghai time.</summary>
    public Task<DayReconciliation> RunYesterdayAsync(CancellationToken cancellationToken)
        => RunAsync(BusinessCalendar.DayOf(time.GetUtcNow()).AddDays(-1), cancellationToken);

    public async Task<DayReconciliation> RunAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var store = new Dictionary<(LedgerKind, string), LedgerEntry>();
        await foreach (var entry in ledger.ReadDayAsync(day, cancellationToken)) store[(entry.Kind, entry.Key)] = entry;

        var bill = await pay.GetTradeBillAsync(day, cancellationToken);
        DayReconciliation result;
        if (bill?.DownloadUrl is null)
        {
            result = Compare(day, ReconciliationOutcome.NoBill, 0, store, [], [], 0, 0, 0, null, null);
        }
        else
        {
            var path = Path.Combine(Path.GetTempPath(), "westore-bill-" + Guid.NewGuid().ToString("N") + ".gz");
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await pay.DownloadBillAsync(bill.DownloadUrl, file, cancellationToken);
            file.Position = 0;
            var archived = await archive.SaveAsync(day, file, cancellationToken);
            file.Position = 0;
            var hash = await Sha1OfDecompressedAsync(file, cancellationToken);
            if (!string.Equals(hash, bill.HashValue, StringComparison.OrdinalIgnoreCase))
            {
                logger.LogError("Reconciliation of {Day}: the bill's SHA1 {Hash} is not WeChat Pay's {Expected}; refused, not parsed", day, hash, bill.HashValue);
                result = new DayReconciliation(day, ReconciliationOutcome.HashMismatch, 0, store.Count, 0, 0, 0, [], hash, archived, time.GetUtcNow());
            }
            else
            {
                file.Position = 0;
                result = await CompareAsync(day, file, store, hash, archived, cancellationToken);
            }
        }

        await results.SaveAsync(result, cancellationToken);
        Report(result);
        if (!result.Clean)
        {
            await alerts.RecordAsync(new OperatorAlert(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), AlertKinds.ReconciliationDifferences,
                $"Reconciliation of {day:yyyy-MM-dd}: {result.Outcome}, {result.Differences.Count} difference(s).", null, time.GetUtcNow()), cancellationToken);
        }

        return result;
    }

    private async Task<DayReconciliation> CompareAsync(
        DateOnly day, Stream gzip, Dictionary<(LedgerKind, string), LedgerEntry> store, string hash, string archived, CancellationToken cancellationToken)
    {
        await using var decompressed = new GZipStream(gzip, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(decompressed, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 65536);
        var bill = new TradeBill(reader);
        var differences = new List<ReconciliationDifference>();
        var seen = new HashSet<(LedgerKind, string)>();
        var (lines, matched, matchedPayments, matchedRefunds) = (0, 0, 0L, 0L);
        var totals = new TradeBillSummary(0, 0, 0, 0, 0);
        try
        {
            await foreach (var line in bill.ReadLinesAsync(cancellationToken))
            {
                lines++;
                totals = new TradeBillSummary(totals.Count + 1, totals.Settlement + line.SettlementAmount, totals.Refunds + line.RefundAmount,
                    totals.Orders + line.OrderAmount, totals.RequestedRefunds + line.RequestedRefundAmount);
                var (kind, key, amount, state) = line.IsRefund
                    ? (LedgerKind.Refund, line.OutRefundNo, line.RequestedRefundAmount, line.RefundStatus)
                    : (LedgerKind.Payment, line.OutTradeNo, line.OrderAmount, line.TradeState == "REFUND" ? "SUCCESS" : line.TradeState);
                seen.Add((kind, key));
                if (!store.TryGetValue((kind, key), out var mine))
                {
                    differences.Add(new ReconciliationDifference(DifferenceKind.InBillNotInStore, kind, key, line.OutTradeNo, null, amount, null, state));
                }
                else if (mine.Amount != amount)
                {
                    differences.Add(new ReconciliationDifference(DifferenceKind.AmountDiffers, kind, key, mine.OutTradeNo, mine.Amount, amount, mine.State, state));
                }
                else if (!string.Equals(mine.State, state, StringComparison.Ordinal))
                {
                    differences.Add(new ReconciliationDifference(DifferenceKind.StateDiffers, kind, key, mine.OutTradeNo, mine.Amount, amount, mine.State, state));
                }
                else
                {
                    matched++;
                    if (kind == LedgerKind.Payment) matchedPayments += amount;
                    else matchedRefunds += amount;
                }
            }
        }
        catch (Exception e) when (e is TradeBill.FormatException or InvalidDataException)
        {
            logger.LogError("Reconciliation of {Day}: the bill does not read ({Reason}); refused", day, e.Message);
            return new DayReconciliation(day, ReconciliationOutcome.SummaryMismatch, lines, store.Count, 0, 0, 0, [], hash, archived, time.GetUtcNow());
        }

        if (bill.Summary != totals)
        {
            logger.LogError("Reconciliation of {Day}: the bill's summary {Summary} does not add up to its lines {Totals}; refused", day, bill.Summary, totals);
            return new DayReconciliation(day, ReconciliationOutcome.SummaryMismatch, lines, store.Count, 0, 0, 0, [], hash, archived, time.GetUtcNow());
        }

        return Compare(day, ReconciliationOutcome.Compared, lines, store, seen, differences, matched, matchedPayments, matchedRefunds, hash, archived);
    }

    private DayReconciliation Compare(
        DateOnly day, ReconciliationOutcome outcome, int lines, Dictionary<(LedgerKind, string), LedgerEntry> store, HashSet<(LedgerKind, string)> seen,
        List<ReconciliationDifference> differences, int matched, long matchedPayments, long matchedRefunds, string? hash, string? archived)
    {
        foreach (var (key, mine) in store.Where(e => !seen.Contains(e.Key)).OrderBy(e => e.Value.OutTradeNo, StringComparer.Ordinal))
        {
            differences.Add(new ReconciliationDifference(DifferenceKind.InStoreNotInBill, key.Item1, key.Item2, mine.OutTradeNo, mine.Amount, null, mine.State, null));
        }

        return new DayReconciliation(day, outcome, lines, store.Count, matched, matchedPayments, matchedRefunds,
            [.. differences.OrderBy(d => d.Kind).ThenBy(d => d.OrderNo, StringComparer.Ordinal).ThenBy(d => d.Key, StringComparer.Ordinal)], hash, archived, time.GetUtcNow());
    }

    private void Report(DayReconciliation result)
    {
        foreach (var group in result.Differences.GroupBy(d => d.Kind))
        {
            WeStoreTelemetry.ReconciliationDifferences.Add(group.Count(), new KeyValuePair<string, object?>("kind", group.Key.ToString()));
        }

        if (result.Clean)
        {
            logger.LogInformation("Reconciliation of {Day}: {Matched} lines matched ({Payments} fen paid, {Refunds} fen refunded); no difference",
                result.Day, result.Matched, result.MatchedPayments, result.MatchedRefunds);
        }
        else
        {
            logger.LogError("Reconciliation of {Day}: {Outcome}, {Differences} difference(s) ({Kinds}); {Matched} lines matched", result.Day, result.Outcome,
                result.Differences.Count, string.Join(", ", result.Differences.GroupBy(d => d.Kind).Select(g => $"{g.Key} {g.Count()}")), result.Matched);
        }
    }

    private static async Task<string> Sha1OfDecompressedAsync(Stream gzip, CancellationToken cancellationToken)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        await using var decompressed = new GZipStream(gzip, CompressionMode.Decompress, leaveOpen: true);
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await decompressed.ReadAsync(buffer, cancellationToken)) > 0) sha1.AppendData(buffer, 0, read);
        }
        catch (InvalidDataException)
        {
            return "not-gzip";
        }

        return Convert.ToHexString(sha1.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>RFC 4180 CSV of a day's result: one row per difference, after a row of the figures.</summary>
    public static string ToCsv(DayReconciliation r)
    {
        var csv = new StringBuilder("day,outcome,billLines,storeEntries,matched,matchedPayments,matchedRefunds,differences\r\n");
        csv.Append(CultureInfo.InvariantCulture, $"{r.Day:yyyy-MM-dd},{r.Outcome},{r.BillLines},{r.StoreEntries},{r.Matched},{r.MatchedPayments},{r.MatchedRefunds},{r.Differences.Count}\r\n");
        csv.Append("kind,entry,key,orderNo,storeAmount,billAmount,storeState,billState\r\n");
        foreach (var d in r.Differences)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{d.Kind},{d.Entry},{CsvCells.Cell(d.Key)},{CsvCells.Cell(d.OrderNo)},{d.StoreAmount},{d.BillAmount},{CsvCells.Cell(d.StoreState ?? string.Empty)},{CsvCells.Cell(d.BillState ?? string.Empty)}\r\n");
        }

        return csv.ToString();
    }
}
