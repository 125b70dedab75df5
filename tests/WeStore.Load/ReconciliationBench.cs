using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace WeStore.Load;

/// <summary>
/// A day's reconciliation at size: the sandbox's bill for today carries <c>lines</c> made-up payments, the store's
/// ledger of today the same payments (written straight to its table), and the store reconciles the day through
/// <c>POST /api/manage/reconciliation/{day}/run</c>, timed, with the host's storage requests and peak memory. The
/// floor, in the same run: the same storage reads and writes straight at the emulator (the ledger's partition, the
/// result's row) and the same bill (the archived file) decompressed and split into lines, with no host and no matching.
/// </summary>
public sealed class ReconciliationBench(HttpClient store, HttpClient sandbox, StoreApi api, string? masterKey, string storage, string run)
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public string Day { get; } = DateTimeOffset.UtcNow.ToOffset(Shanghai).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string DayKey => Day.Replace("-", string.Empty, StringComparison.Ordinal);

    private string Prefix => "WSB" + run.ToUpperInvariant();

    public async Task SetupAsync(int lines)
    {
        using var synthetic = JsonContent.Create(new { day = Day, count = lines, prefix = Prefix });
        (await sandbox.PostAsync("/sandbox/pay/bill-synthetic", synthetic)).EnsureSuccessStatusCode();
        var ledger = new TableClient(storage, "PaymentLedger");
        await ledger.CreateIfNotExistsAsync();
        // The same payments in the store's book: what the order-paid pipeline would have written, a batch of 100 at a time.
        await LoadRunner.RunAsync("ledger", 8, (lines + 99) / 100, TimeSpan.FromMinutes(10), async (batch, ct) =>
        {
            var actions = Enumerable.Range(batch * 100, Math.Min(100, lines - (batch * 100))).Select(n => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(DayKey, "pay|" + Prefix + n.ToString("D8", CultureInfo.InvariantCulture))
                {
                    ["OutTradeNo"] = Prefix + n.ToString("D8", CultureInfo.InvariantCulture), ["Amount"] = 100L + (n % 900), ["State"] = "SUCCESS", ["At"] = DateTimeOffset.UtcNow,
                })).ToList();
            await ledger.SubmitTransactionAsync(actions, ct);
            return 200;
        });
    }

    /// <summary>One reconciliation through the store: seconds, storage requests, the host's peak working set, what it found.</summary>
    public async Task<string> RunStoreAsync()
    {
        var before = await api.StatsAsync();
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/reconciliation/{Day}/run");
        request.Headers.Add("x-functions-key", masterKey);
        using var response = await store.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        watch.Stop();
        var after = await api.StatsAsync();
        var requests = after!.StorageRequests - before!.StorageRequests;
        var lines = body.GetProperty("billLines").GetInt32();
        return string.Create(CultureInfo.InvariantCulture,
            $"seconds={watch.Elapsed.TotalSeconds:0.00} lines={lines} matched={body.GetProperty("matched").GetInt32()} differences={body.GetProperty("differences").GetArrayLength()} storage_requests={requests} storage_per_line={(double)requests / Math.Max(1, lines):0.0000} peak_mb={after.PeakWorkingSetBytes / 1048576.0:0}");
    }

    /// <summary>The floor: the ledger's partition read, the archived bill decompressed and split into fields, one result row written.</summary>
    public async Task<string> RunFloorAsync()
    {
        var watch = Stopwatch.StartNew();
        var ledger = new TableClient(storage, "PaymentLedger");
        var entries = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var e in ledger.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {DayKey}"), 1000)) entries[e.RowKey] = e.GetInt64("Amount") ?? 0;
        var blob = new BlobContainerClient(storage, "bills").GetBlobClient(Day + ".csv.gz");
        await using var file = await blob.OpenReadAsync();
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var (lines, seen) = (0, 0);
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0 || line[0] != '`') continue;
            var fields = line[1..].Split(",`");
            if (fields.Length > 6 && entries.ContainsKey("pay|" + fields[6])) seen++;
            lines++;
        }

        var results = new TableClient(storage, "FloorReconciliations");
        await results.CreateIfNotExistsAsync();
        await results.UpsertEntityAsync(new TableEntity(DayKey, "summary") { ["Matched"] = seen });
        watch.Stop();
        return string.Create(CultureInfo.InvariantCulture, $"seconds={watch.Elapsed.TotalSeconds:0.00} lines={lines} matched={seen} ledger={entries.Count}");
    }
}
