using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WeStore.Load;

/// <summary>The calls of a shopper's day (the mixed-day scenario) and WeChat Pay's side of it, through the sandbox.</summary>
public sealed partial class StoreApi
{
    public Task<int> GetAsync(string path, string? token, CancellationToken ct) => SendAsync(HttpMethod.Get, path, token, ct);

    /// <summary>A bodiless request, as the member if a token is given; returns the status.</summary>
    public async Task<int> SendAsync(HttpMethod method, string path, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Add("Authorization", "Bearer " + token);
        using var response = await client.SendAsync(request, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    }

    /// <summary>Claims one coupon; returns the status and, when issued, the coupon's id.</summary>
    public async Task<(int Status, string? CouponId)> ClaimForCouponAsync(string token, string campaignId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/coupons/campaigns/{campaignId}/claim");
        request.Headers.Add("Authorization", "Bearer " + token);
        using var response = await client.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            await response.Content.CopyToAsync(Stream.Null, ct);
            return ((int)response.StatusCode, null);
        }

        return ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("couponId").GetString());
    }

    /// <summary>Places an order for several SKUs, with a coupon if given; returns the status and the order's number.</summary>
    public async Task<(int Status, string? OrderNo)> PlaceAsync(string token, string idempotencyKey, IEnumerable<(string Sku, int Quantity)> items, string? couponId, CancellationToken ct)
    {
        var lines = string.Join(",", items.Select(i => $$"""{"skuId":"{{i.Sku}}","quantity":{{i.Quantity}}}"""));
        var coupon = couponId is null ? string.Empty : $$""","couponId":"{{couponId}}" """;
        var body = $$"""{"items":[{{lines}}],"address":{{Address}}{{coupon}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Authorization", "Bearer " + token);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request, ct);
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            var problem = await response.Content.ReadAsStringAsync(ct);
            // An earlier attempt with this key has not finished (or was abandoned: the store adopts its stock after 30 s).
            return (problem.Contains("request_in_progress", StringComparison.Ordinal) ? InProgress : (int)response.StatusCode, null);
        }

        return (201, (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("orderNo").GetString());
    }

    /// <summary>The status counted for 409 request_in_progress, which a client retries (unlike other 409s).</summary>
    public const int InProgress = -409;

    public Task<int> CancelAsync(string token, string orderNo, CancellationToken ct) => SendAsync(HttpMethod.Post, $"/api/orders/{orderNo}/cancel", token, ct);

    /// <summary>An operator's full refund; returns the status and the refund's out_refund_no.</summary>
    public async Task<(int Status, string? OutRefundNo)> RefundAsync(string orderNo, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/orders/{orderNo}/refunds")
        {
            Content = new StringContent("""{"reason":"顾客申请退款"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-functions-key", masterKey);
        using var response = await client.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            await response.Content.CopyToAsync(Stream.Null, ct);
            return ((int)response.StatusCode, null);
        }

        return ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("outRefundNo").GetString());
    }
}

/// <summary>WeChat Pay's side, played by the sandbox: the shopper pays (or a refund completes) and the sandbox notifies the store.</summary>
public sealed class SandboxPay(HttpClient sandbox)
{
    /// <summary>Pays (or, if already paid, delivers the notification again); returns what the store answered the notification.</summary>
    public async Task<int> PayAsync(string orderNo, CancellationToken ct)
    {
        using var response = await sandbox.PostAsync($"/sandbox/pay/{orderNo}", null, ct);
        if (!response.IsSuccessStatusCode) return -(int)response.StatusCode;
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("notifyStatus").GetInt32();
    }

    public async Task<int> CompleteRefundAsync(string orderNo, string outRefundNo, CancellationToken ct)
    {
        using var response = await sandbox.PostAsync($"/sandbox/pay/{orderNo}?refund={Uri.EscapeDataString(outRefundNo)}", null, ct);
        if (!response.IsSuccessStatusCode) return -(int)response.StatusCode;
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("notifyStatus").GetInt32();
    }

    /// <summary>Delivers until the store answers 204, as WeChat Pay retries (here every second, at most <paramref name="attempts"/> times).</summary>
    public async Task<(int Status, int Attempts)> DeliverUntilAcceptedAsync(Func<CancellationToken, Task<int>> deliver, int attempts, CancellationToken ct)
    {
        var status = 0;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            status = await deliver(ct);
            if (status == 204) return (status, attempt);
            await Task.Delay(1000, ct);
        }

        return (status, attempts);
    }
}
