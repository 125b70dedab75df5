using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WeStore.Load;

/// <summary>
/// A warehouse's shipment files: paid orders are prepared first (placed, paid at the sandbox, indexed; not measured),
/// then each measured request imports a CSV of <see cref="LinesPerFile"/> lines, one package per order, through
/// <c>POST /api/manage/shipments/import</c>. Shipments per second = files per second × lines per file.
/// </summary>
public sealed class ShipmentScenario(HttpClient client, StoreApi api, SandboxPay pay, string? masterKey, int linesPerFile, string? storage)
{
    private readonly List<string> _orders = [];

    public int LinesPerFile => linesPerFile;

    public async Task SetupAsync(string run, int files, int concurrency)
    {
        var count = files * linesPerFile;
        var sku = $"ship-{run}";
        await Retry.UntilAsync(() => api.ImportSkuAsync($"shipp-{run}", sku, 100, 5_000_000, 16));
        var tokens = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Retry.UntilAsync(() => api.LoginAsync($"shload{run}s{i}.1"))));
        var placed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await LoadRunner.RunAsync("setup", concurrency, count, TimeSpan.FromMinutes(10), async (n, ct) =>
        {
            var (status, orderNo) = await api.PlaceOrderForNumberAsync(tokens[n % tokens.Length], $"{run}-{n}", sku, 1, ct);
            if (orderNo is null) return status;
            placed.Add(orderNo);
            return await pay.PayAsync(orderNo, ct);
        });
        _orders.AddRange(placed.Order(StringComparer.Ordinal));
        // Shipping finds an order through the index its order-paid event writes: wait until the last is in the list.
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (await ToShipAsync() < _orders.Count && DateTime.UtcNow < deadline) await Task.Delay(500);
        // The order-paid pipeline's tail, and an earlier round's uploads and notices, finish before measuring.
        if (storage is not null) await QueueDrain.WaitAsync(storage, ["order-paid", "shipping-upload", "order-shipped"], TimeSpan.FromMinutes(5));
    }

    public int Orders => _orders.Count;

    /// <summary>File <paramref name="n"/>: the next <see cref="LinesPerFile"/> orders, each shipped whole by YTO.</summary>
    public async Task<int> SendAsync(int n, CancellationToken ct)
    {
        var csv = new StringBuilder("orderNo,expressCompany,trackingNo\n");
        for (var i = n * linesPerFile; i < (n + 1) * linesPerFile && i < _orders.Count; i++) csv.Append(_orders[i]).Append(",YTO,YT").Append(i).Append('\n');
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/manage/shipments/import") { Content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv") };
        request.Headers.Add("x-functions-key", masterKey);
        using var response = await client.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) return (int)response.StatusCode;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        // A file whose lines were not all shipped is a failure for the run's summary.
        return body.GetProperty("shipped").GetInt32() + body.GetProperty("unchanged").GetInt32() == body.GetProperty("lines").GetInt32() ? 200 : 422;
    }

    private async Task<int> ToShipAsync()
    {
        var total = 0;
        string? token = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/manage/orders?status=toShip&pageSize=100" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token)));
            request.Headers.Add("x-functions-key", masterKey);
            using var response = await client.SendAsync(request);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            total += page.GetProperty("orders").GetArrayLength();
            token = page.TryGetProperty("continuationToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        while (token is not null);

        return total;
    }
}
