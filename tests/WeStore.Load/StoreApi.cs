using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WeStore.Load;

/// <summary>The few store calls the scenarios need.</summary>
public sealed partial class StoreApi(HttpClient client, string? masterKey)
{
    public const string Address = """{"userName":"张三","telNumber":"13800138000","provinceName":"广东省","cityName":"广州市","countyName":"海珠区","detailInfo":"新港中路397号","postalCode":"510000"}""";

    public async Task<string> LoginAsync(string code, CancellationToken ct = default)
    {
        using var content = new StringContent($$"""{"code":"{{code}}"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/auth/login", content, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
    }

    public async Task ImportSkuAsync(string productId, string skuId, long price, int stock, int shards)
    {
        var body = $$"""{"products":[{"id":"{{productId}}","name":"load test","onSale":true,"skus":[{"id":"{{skuId}}","name":"load","price":{{price}},"stock":{{stock}},"onSale":true,"stockShards":{{shards}}}]}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/manage/catalog") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", masterKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public async Task<int> PlaceOrderAsync(string token, string idempotencyKey, string skuId, int quantity, CancellationToken ct)
    {
        var body = $$"""{"items":[{"skuId":"{{skuId}}","quantity":{{quantity}}}],"address":{{Address}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Authorization", "Bearer " + token);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    }

    /// <summary>Places an order and returns its status and, when created, its number.</summary>
    public async Task<(int Status, string? OrderNo)> PlaceOrderForNumberAsync(string token, string idempotencyKey, string skuId, int quantity, CancellationToken ct)
    {
        var body = $$"""{"items":[{"skuId":"{{skuId}}","quantity":{{quantity}}}],"address":{{Address}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Authorization", "Bearer " + token);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request, ct);
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            await response.Content.CopyToAsync(Stream.Null, ct);
            return ((int)response.StatusCode, null);
        }

        return (201, (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("orderNo").GetString());
    }

    public async Task<string?> OrderStatusAsync(string token, string orderNo)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{orderNo}");
        request.Headers.Add("Authorization", "Bearer " + token);
        using var response = await client.SendAsync(request);
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() : null;
    }

    /// <summary>Polls until every order has read paid or the time is up; returns how many did. An order that read paid
    /// is not asked again: nothing in these scenarios unpays an order, and under injected storage faults some reads
    /// fail, so a pass in which every one of hundreds of reads succeeds may never come.</summary>
    public async Task<int> WaitUntilPaidAsync(IReadOnlyCollection<(string Token, string OrderNo)> orders, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var waiting = orders.ToList();
        while (true)
        {
            var still = new List<(string Token, string OrderNo)>();
            foreach (var order in waiting)
            {
                if (await OrderStatusAsync(order.Token, order.OrderNo) != "paid") still.Add(order);
            }

            waiting = still;
            if (waiting.Count == 0 || DateTime.UtcNow > deadline) return orders.Count - waiting.Count;
            await Task.Delay(200);
        }
    }

    /// <summary>The local host's counters: the app's storage requests, CPU time and memory.</summary>
    public async Task<HostStats?> StatsAsync()
    {
        if (masterKey is null) return null;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/host/stats");
        request.Headers.Add("x-functions-key", masterKey);
        using var response = await client.SendAsync(request);
        if (!response.IsSuccessStatusCode) return null;
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new HostStats(json.GetProperty("storageRequests").GetInt64(), json.GetProperty("cpuMilliseconds").GetDouble(),
            json.GetProperty("peakWorkingSetBytes").GetInt64(), json.TryGetProperty("storageFaultsInjected", out var f) ? f.GetInt64() : 0);
    }
}

public sealed record HostStats(long StorageRequests, double CpuMilliseconds, long PeakWorkingSetBytes, long StorageFaultsInjected);
