using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Sandbox;
using WeStore.WeChat.Push;

namespace WeStore.Tests.Support;

/// <summary>The fulfilment journey's steps and requests, for the tests of shipping, receipt and the message push.</summary>
public static class FulfilmentData
{
    /// <summary>A paid order whose order-paid event has been handled (so it is findable and to ship).</summary>
    public static async Task<(string Token, string OrderNo, string Stem, string Sku)> PaidOrderAsync(StoreFixture store, int quantity = 2, long price = 1000)
    {
        var placed = await store.PlaceOrderAsync(stock: Math.Max(10, quantity), quantity: quantity, price: price);
        await store.PayAsync(placed.OrderNo);
        await Eventually.TrueAsync(async () => await FindOpenIdAsync(store, placed.OrderNo) is not null, TimeSpan.FromSeconds(20), "the order-paid consumer indexed the order");
        return placed;
    }

    public static Task<string?> FindOpenIdAsync(StoreFixture store, string orderNo)
        => store.Service<WeStore.Domain.Orders.IOrderIndex>().FindOpenIdAsync(orderNo, default);

    public static object Express(string sku, int quantity, string company = "YTO", string? tracking = null)
        => new { logisticsType = "express", packages = new[] { Package(sku, quantity, company, tracking) } };

    public static object Package(string sku, int quantity, string company = "YTO", string? tracking = null)
        => new { expressCompany = company, trackingNo = tracking ?? "YT" + Guid.NewGuid().ToString("N")[..12], items = new[] { new { skuId = sku, quantity } } };

    public static async Task<HttpResponseMessage> ShipAsync(StoreFixture store, string orderNo, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/orders/{orderNo}/shipments") { Content = TestData.Json(JsonSerializer.Serialize(body)) };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        request.Headers.Add("Idempotency-Key", key ?? "ship-" + Guid.NewGuid().ToString("N")[..10]);
        return await store.Client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> ImportAsync(StoreFixture store, string csv)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/manage/shipments/import") { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        return await store.Client.SendAsync(request);
    }

    public static async Task<JsonElement> OperatorGetAsync(StoreFixture store, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        var response = await store.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The order numbers in a work list (first page of 100).</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(StoreFixture store, string status)
        => [.. (await OperatorGetAsync(store, $"/api/manage/orders?status={status}&pageSize=100")).GetProperty("orders").EnumerateArray()
            .Select(o => o.GetProperty("order").GetProperty("orderNo").GetString()!)];

    public static async Task<HttpResponseMessage> ConfirmByBuyerAsync(StoreFixture store, string token, string orderNo, string status = "success")
        => await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/orders/{orderNo}/confirm-receipt", token,
            TestData.Json(JsonSerializer.Serialize(new { status }))));

    /// <summary>What WeChat's shipping management holds for the order (the sandbox's view).</summary>
    public static async Task<JsonElement> AtWeChatAsync(StoreFixture store, string orderNo)
    {
        var client = store.Sandbox.Client();
        return await client.GetFromJsonAsync<JsonElement>($"{store.Sandbox.Url}/sandbox/wxa/orders/{orderNo}");
    }

    /// <summary>The buyer confirms in WeChat; the sandbox pushes the settlement event to the store and reports its answer.</summary>
    public static async Task<JsonElement> ConfirmInWeChatAsync(StoreFixture store, string orderNo)
    {
        var client = store.Sandbox.Client();
        var response = await client.PostAsync($"{store.Sandbox.Url}/sandbox/wxa/orders/{orderNo}/confirm-receipt", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The next <paramref name="count"/> upload_shipping_info calls answer <paramref name="errcode"/>.</summary>
    public static void FailUploads(StoreFixture store, int errcode, int count = 1)
    {
        var faults = store.Sandbox.App.Services.GetRequiredService<ShippingState>().UploadFaults;
        for (var i = 0; i < count; i++) faults.Enqueue(errcode);
    }

    public static ShippingState Shipping(StoreFixture store) => store.Sandbox.App.Services.GetRequiredService<ShippingState>();

    /// <summary>The store's crypto for its push, as WeChat holds it: the same Token, EncodingAESKey and appid.</summary>
    public static WxBizMsgCrypt PushCrypt(StoreFixture store) => new(store.Sandbox.Options.PushToken, store.Sandbox.Options.PushEncodingAesKey, store.Sandbox.Options.AppId);

    /// <summary>A safe-mode push of <paramref name="message"/> as WeChat signs it; each part can be spoiled by the caller.</summary>
    public static HttpRequestMessage SignedPush(
        StoreFixture store, string message, WxBizMsgCrypt? crypt = null, long? timestamp = null, Func<string, string>? tamper = null, string? msgSignature = null, bool xml = false)
    {
        crypt ??= PushCrypt(store);
        var e = SignedEnvelope.Seal(crypt, message, timestamp, tamper, msgSignature);
        var body = xml
            ? $"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[{e.Encrypted}]]></Encrypt></xml>"
            : new JsonObject { ["ToUserName"] = "gh_test", ["Encrypt"] = e.Encrypted }.ToJsonString();
        return new HttpRequestMessage(HttpMethod.Post, $"/api/wechat/push?signature={e.Signature}&timestamp={e.Timestamp}&nonce={e.Nonce}&encrypt_type=aes&msg_signature={e.MsgSignature}")
        {
            Content = new StringContent(body, Encoding.UTF8, xml ? "text/xml" : "application/json"),
        };
    }

    public static string SettlementEvent(string openId, string orderNo, DateTimeOffset confirmedAt) => new JsonObject
    {
        ["ToUserName"] = "gh_test", ["FromUserName"] = openId, ["CreateTime"] = confirmedAt.ToUnixTimeSeconds(), ["MsgType"] = "event",
        ["Event"] = "trade_manage_order_settlement", ["transaction_id"] = "4200", ["merchant_trade_no"] = orderNo, ["pay_time"] = confirmedAt.AddDays(-3).ToUnixTimeSeconds(),
        ["shipped_time"] = confirmedAt.AddDays(-2).ToUnixTimeSeconds(), ["confirm_receive_method"] = 2, ["confirm_receive_time"] = confirmedAt.ToUnixTimeSeconds(),
        ["settlement_time"] = confirmedAt.ToUnixTimeSeconds(),
    }.ToJsonString();

    public static string PopupEvent(string openId, string templateId, string status, long createTime) => new JsonObject
    {
        ["ToUserName"] = "gh_test", ["FromUserName"] = openId, ["CreateTime"] = createTime, ["MsgType"] = "event", ["Event"] = "subscribe_msg_popup_event",
        ["List"] = new JsonObject { ["TemplateId"] = templateId, ["SubscribeStatusString"] = status, ["PopupScene"] = "0" },
    }.ToJsonString();
}
