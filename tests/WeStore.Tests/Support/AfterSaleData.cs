using System.Net.Http.Json;
using System.Text.Json;

namespace WeStore.Tests.Support;

/// <summary>After-sale requests and their review, over HTTP, for the after-sale tests.</summary>
public static class AfterSaleData
{
    /// <summary>A paid order, shipped and confirmed received in WeChat.</summary>
    public static async Task<(string Token, string OrderNo, string Stem, string Sku)> ReceivedOrderAsync(StoreFixture store, int quantity = 2, long price = 1000)
    {
        var order = await FulfilmentData.PaidOrderAsync(store, quantity, price);
        var shipped = await FulfilmentData.ShipAsync(store, order.OrderNo, FulfilmentData.Express(order.Sku, quantity));
        Assert.True(shipped.IsSuccessStatusCode, await shipped.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => (await FulfilmentData.AtWeChatAsync(store, order.OrderNo)).TryGetProperty("shipping", out _), TimeSpan.FromSeconds(20), "WeChat holds the shipment");
        await FulfilmentData.ConfirmInWeChatAsync(store, order.OrderNo);
        await Eventually.TrueAsync(async () => (await store.GetOrderAsync(order.Token, order.OrderNo)).GetProperty("status").GetString() == "received",
            TimeSpan.FromSeconds(20), "the order is received");
        return order;
    }

    public static object Return(string sku, int quantity, string reason = "尺码不合适") => new { type = "return", lines = new[] { new { skuId = sku, quantity } }, reason };

    public static object Refund(string sku, int quantity, string reason = "不想要了") => new { type = "refund", lines = new[] { new { skuId = sku, quantity } }, reason };

    public static async Task<HttpResponseMessage> RequestAsync(StoreFixture store, string token, string orderNo, object body, string? key = null)
    {
        var request = TestData.Authorized(HttpMethod.Post, $"/api/orders/{orderNo}/after-sales", token, TestData.Json(JsonSerializer.Serialize(body)));
        request.Headers.Add("Idempotency-Key", key ?? "as-" + Guid.NewGuid().ToString("N")[..10]);
        return await store.Client.SendAsync(request);
    }

    public static async Task<string> RequestIdAsync(StoreFixture store, string token, string orderNo, object body)
    {
        var response = await RequestAsync(store, token, orderNo, body);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("afterSaleId").GetString()!;
    }

    public static async Task<HttpResponseMessage> OperatorAsync(StoreFixture store, string afterSaleId, string action, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/after-sales/{afterSaleId}/{action}") { Content = TestData.Json(JsonSerializer.Serialize(body ?? new { })) };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        return await store.Client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> MemberAsync(StoreFixture store, string token, string afterSaleId, string action, object? body = null)
        => await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/after-sales/{afterSaleId}/{action}", token,
            body is null ? null : TestData.Json(JsonSerializer.Serialize(body))));

    public static async Task<JsonElement> GetAsync(StoreFixture store, string afterSaleId)
        => await FulfilmentData.OperatorGetAsync(store, $"/api/manage/after-sales/{afterSaleId}");

    public static async Task<string> StatusAsync(StoreFixture store, string afterSaleId) => (await GetAsync(store, afterSaleId)).GetProperty("status").GetString()!;
}
