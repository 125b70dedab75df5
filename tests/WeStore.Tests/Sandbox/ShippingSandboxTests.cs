using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeStore.Sandbox;
using WeStore.Tests.Support;

namespace WeStore.Tests.Sandbox;

/// <summary>The sandbox's imitation of WeChat's order shipping management keeps WeChat's rules and errcodes.</summary>
public sealed class ShippingSandboxTests : IAsyncLifetime
{
    private RunningSandbox _sandbox = null!;
    private HttpClient _client = null!;
    private string _token = string.Empty;

    public async Task InitializeAsync()
    {
        _sandbox = await RunningSandbox.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
        var token = await _client.PostAsJsonAsync("/cgi-bin/stable_token", new { grant_type = "client_credential", appid = _sandbox.Options.AppId, secret = _sandbox.Options.AppSecret });
        _token = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private SandboxTransaction Paid(string openId = "oPayer000000000000000000001")
    {
        var outTradeNo = "WS" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        var t = new SandboxTransaction
        {
            OutTradeNo = outTradeNo, AppId = _sandbox.Options.AppId, OpenId = openId, Total = 2000, Description = "龙井茶 50g", NotifyUrl = "http://127.0.0.1:1/",
            RequestBody = "{}", TimeExpire = DateTimeOffset.UtcNow.AddMinutes(15),
        };
        t.TradeState = "SUCCESS";
        t.TransactionId = "4200" + Guid.NewGuid().ToString("N")[..20];
        t.SuccessTime = DateTimeOffset.UtcNow;
        _sandbox.Pay.Transactions[outTradeNo] = t;
        return t;
    }

    private static JsonObject Body(SandboxTransaction t, int logistics = 1, int mode = 1, bool? allDelivered = null, JsonArray? list = null, string? uploadTime = null, string? payer = null)
    {
        var body = new JsonObject
        {
            ["order_key"] = new JsonObject { ["order_number_type"] = 2, ["transaction_id"] = t.TransactionId },
            ["logistics_type"] = logistics, ["delivery_mode"] = mode,
            ["shipping_list"] = list ?? new JsonArray(Item("YT1")),
            ["upload_time"] = uploadTime ?? DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture),
            ["payer"] = new JsonObject { ["openid"] = payer ?? t.OpenId },
        };
        if (allDelivered is { } all) body["is_all_delivered"] = all;
        return body;
    }

    private static JsonObject Item(string tracking, string company = "YTO", string desc = "龙井茶 50g*2") => new()
    {
        ["tracking_no"] = tracking, ["express_company"] = company, ["item_desc"] = desc,
    };

    private async Task<int> UploadAsync(JsonNode body)
    {
        var response = await _client.PostAsync($"/wxa/sec/order/upload_shipping_info?access_token={_token}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errcode").GetInt32();
    }

    private async Task<JsonElement> OrderAsync(SandboxTransaction t)
    {
        var response = await _client.PostAsJsonAsync($"/wxa/sec/order/get_order?access_token={_token}", new { transaction_id = t.TransactionId });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order");
    }

    [Fact]
    public async Task Upload_Unified_ShippedOnce_IdenticalAgain10060023_ChangedIsTheOneReship_Then10060003()
    {
        var t = Paid();

        Assert.Equal(0, await UploadAsync(Body(t)));
        Assert.Equal(10060023, await UploadAsync(Body(t)));
        await Task.Delay(5); // an update needs a newer upload_time
        Assert.Equal(0, await UploadAsync(Body(t, list: new JsonArray(Item("YT2")))));
        Assert.Equal(10060003, await UploadAsync(Body(t, list: new JsonArray(Item("YT3")))));

        var order = await OrderAsync(t);
        Assert.Equal(2, order.GetProperty("order_state").GetInt32());
        Assert.Equal(2, order.GetProperty("shipping").GetProperty("finish_shipping_count").GetInt32());
        Assert.Equal("YT2", order.GetProperty("shipping").GetProperty("shipping_list")[0].GetProperty("tracking_no").GetString());
    }

    [Fact]
    public async Task Upload_Split_UntilAllDelivered_ThenMore10060002()
    {
        var t = Paid();

        Assert.Equal(0, await UploadAsync(Body(t, mode: 2, allDelivered: false, list: new JsonArray(Item("YT1")))));
        Assert.Equal(1, (await OrderAsync(t)).GetProperty("order_state").GetInt32());
        Assert.Equal(0, await UploadAsync(Body(t, mode: 2, allDelivered: true, list: new JsonArray(Item("YT2")))));
        Assert.Equal(10060002, await UploadAsync(Body(t, mode: 2, allDelivered: true, list: new JsonArray(Item("YT3")))));

        var shipping = (await OrderAsync(t)).GetProperty("shipping");
        Assert.True(shipping.GetProperty("finish_shipping").GetBoolean());
        Assert.Equal(2, shipping.GetProperty("shipping_list").GetArrayLength());
    }

    [Fact]
    public async Task Upload_FieldRules_WeChatsErrcodes()
    {
        var t = Paid();
        var sixteen = new JsonArray([.. Enumerable.Range(0, 16).Select(i => (JsonNode)Item("YT" + i))]);
        var cases = new (string Name, JsonNode Body, int Errcode)[]
        {
            ("logistics_type 5", Body(t, logistics: 5), 10060005),
            ("delivery_mode 3", Body(t, mode: 3), 268485224),
            ("split local delivery", Body(t, logistics: 2, mode: 2, allDelivered: true), 10060006),
            ("split without is_all_delivered", Body(t, mode: 2), 10060007),
            ("unified with two packages", Body(t, list: new JsonArray(Item("A"), Item("B"))), 268485228),
            ("16 packages", Body(t, mode: 2, allDelivered: true, list: sixteen), 10060024),
            ("empty item_desc", Body(t, list: new JsonArray(Item("A", desc: ""))), 10060008),
            ("item_desc over 120", Body(t, list: new JsonArray(Item("A", desc: new string('茶', 121)))), 10060009),
            ("no tracking_no", Body(t, list: new JsonArray(new JsonObject { ["express_company"] = "YTO", ["item_desc"] = "x" })), 268485226),
            ("no express_company", Body(t, list: new JsonArray(new JsonObject { ["tracking_no"] = "A", ["item_desc"] = "x" })), 268485227),
            ("tracking_no over 128 bytes", Body(t, list: new JsonArray(Item(new string('1', 129)))), 10060026),
            ("SF without a contact", Body(t, list: new JsonArray(Item("SF1", "SF"))), 10060014),
            ("upload_time not RFC 3339", Body(t, uploadTime: "2026/12/01 10:00"), 268485216),
            ("another payer", Body(t, payer: "oSomeoneElse00000000000000001"), 10060031),
            ("shipping_list an object", new JsonObject { ["order_key"] = new JsonObject { ["order_number_type"] = 2, ["transaction_id"] = t.TransactionId }, ["logistics_type"] = 1, ["delivery_mode"] = 1, ["shipping_list"] = Item("A") }, 47001),
            ("order_number_type 3", new JsonObject { ["order_key"] = new JsonObject { ["order_number_type"] = 3 } }, 268485194),
            ("no transaction_id", new JsonObject { ["order_key"] = new JsonObject { ["order_number_type"] = 2 } }, 268485195),
            ("unknown payment", new JsonObject { ["order_key"] = new JsonObject { ["order_number_type"] = 2, ["transaction_id"] = "4200nosuch" } }, 10060001),
        };

        foreach (var (name, body, errcode) in cases) Assert.True(await UploadAsync(body) == errcode, name);
        Assert.Equal(1, (await OrderAsync(t)).GetProperty("order_state").GetInt32()); // nothing was taken
    }

    [Fact]
    public async Task Upload_SfWithMaskedContact_Taken_RefundedPayment10060004()
    {
        var t = Paid();
        var sf = Item("SF1", "SF");
        sf["contact"] = new JsonObject { ["receiver_contact"] = "138****8000" };
        var refunded = Paid();
        lock (refunded) refunded.Refunds.Add(new SandboxRefund { OutRefundNo = "R1", RefundId = "5001", Amount = refunded.Total, Status = "SUCCESS" });

        Assert.Equal(0, await UploadAsync(Body(t, list: new JsonArray(sf))));
        Assert.Equal(10060004, await UploadAsync(Body(refunded)));
        Assert.Equal(5, (await OrderAsync(refunded)).GetProperty("order_state").GetInt32());
    }

    [Fact]
    public async Task Upload_NotIngestedWindow_10060001ThenTaken()
    {
        _sandbox.Options.ShippingNotIngestedWindow = TimeSpan.FromMilliseconds(300);
        var t = Paid();

        var early = await UploadAsync(Body(t));
        await Task.Delay(400);
        var later = await UploadAsync(Body(t));
        _sandbox.Options.ShippingNotIngestedWindow = TimeSpan.Zero;

        Assert.Equal(10060001, early);
        Assert.Equal(0, later);
    }

    [Fact]
    public async Task IsTradeManaged_AppIdRules_And_DeliveryList()
    {
        var missing = await _client.PostAsJsonAsync($"/wxa/sec/order/is_trade_managed?access_token={_token}", new { });
        var wrong = await _client.PostAsJsonAsync($"/wxa/sec/order/is_trade_managed?access_token={_token}", new { appid = "wx_other" });
        var right = await _client.PostAsJsonAsync($"/wxa/sec/order/is_trade_managed?access_token={_token}", new { appid = _sandbox.Options.AppId });
        var carriers = await _client.PostAsJsonAsync($"/cgi-bin/express/delivery/open_msg/get_delivery_list?access_token={_token}", new { });
        var noToken = await _client.PostAsJsonAsync("/wxa/sec/order/get_order?access_token=nope", new { transaction_id = "x" });

        Assert.Equal(40097, (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errcode").GetInt32());
        Assert.Equal(40013, (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errcode").GetInt32());
        Assert.True((await right.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("is_trade_managed").GetBoolean());
        var list = (await carriers.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delivery_list");
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("delivery_id").GetString() == "SF");
        Assert.Equal(40001, (await noToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errcode").GetInt32());
    }
}
