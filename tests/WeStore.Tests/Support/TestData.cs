using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WeStore.Application;

namespace WeStore.Tests.Support;

/// <summary>Test-data builders, in one place.</summary>
public static class TestData
{
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string?> StoreSettings(RunningSandbox sandbox) => new()
    {
        // The facts consumer is off unless a test turns it on: it works in the background on every login, payment and
        // coupon, and the tests that count a route's storage requests count the route, not it. Segment tests turn it on.
        ["AzureWebJobs.ApplyMemberFactsFunction.Disabled"] = "true",
        ["WeChat:AppId"] = sandbox.Options.AppId,
        ["WeChat:AppSecret"] = sandbox.Options.AppSecret,
        ["WeChat:ApiBaseUrl"] = sandbox.Url,
        ["WeChat:TimeoutSeconds"] = "1",
        ["WeChat:MaxRetries"] = "1",
        [ApplicationServiceCollectionExtensions.SigningKeysSection + ":k1"] = NewKey(),
        [ApplicationServiceCollectionExtensions.EncryptionKeysSection + ":e1"] = NewKey(),
        ["WeChatPay:MchId"] = sandbox.Keys.MchId,
        ["WeChatPay:MerchantSerialNo"] = sandbox.Keys.MerchantSerialNo,
        ["WeChatPay:MerchantPrivateKey"] = sandbox.Keys.MerchantPrivateKeyPath,
        ["WeChatPay:ApiV3Key"] = sandbox.Keys.ApiV3Key,
        ["WeChatPay:PlatformPublicKeyId"] = sandbox.Keys.PlatformPublicKeyId,
        ["WeChatPay:PlatformPublicKey"] = sandbox.Keys.PlatformPublicKeyPath,
        ["WeChatPay:BaseUrl"] = sandbox.Url,
        ["WeChatPay:NotifyUrl"] = "https://store.example/api/pay/notify",
        ["WeChatPay:RefundNotifyUrl"] = "https://store.example/api/pay/refund-notify",
        ["WeChatPay:TimeoutSeconds"] = "2",
        ["WeChatPay:MaxRetries"] = "1",
        ["Loyalty:ReminderTemplateId"] = "tmpl-points-expiring",
        ["WeChat:PushToken"] = sandbox.Options.PushToken,
        ["WeChat:PushEncodingAesKey"] = sandbox.Options.PushEncodingAesKey,
        ["Fulfilment:ShippedTemplateId"] = "tmpl-order-shipped",
        ["WeCom:CorpId"] = sandbox.Options.WeComCorpId,
        ["WeCom:ContactSecret"] = sandbox.Options.WeComSecret,
        ["WeCom:ApiBaseUrl"] = sandbox.Url,
        ["WeCom:CallbackToken"] = sandbox.Options.WeComCallbackToken,
        ["WeCom:CallbackEncodingAesKey"] = sandbox.Options.WeComCallbackAesKey,
        ["WeCom:TimeoutSeconds"] = "2",
        ["WeCom:MaxRetries"] = "1",
        ["OfficialAccount:AppId"] = sandbox.Options.OfficialAccountAppId,
        ["OfficialAccount:AppSecret"] = sandbox.Options.OfficialAccountSecret,
        ["OfficialAccount:ApiBaseUrl"] = sandbox.Url,
        ["OfficialAccount:QrImageBaseUrl"] = sandbox.Url,
        ["OfficialAccount:Token"] = sandbox.Options.OfficialAccountToken,
        ["OfficialAccount:EncodingAesKey"] = sandbox.Options.OfficialAccountAesKey,
        ["OfficialAccount:ShippedTemplateId"] = "tmpl-oa-shipped",
        ["OfficialAccount:TimeoutSeconds"] = "2",
        ["OfficialAccount:MaxRetries"] = "1",
    };

    /// <summary>A shopper's wx.login code; the sandbox maps every code with the same stem to the same openid.</summary>
    public static string ShopperCode(string? stem = null) => (stem ?? "shopper" + Guid.NewGuid().ToString("N")[..12]) + "." + Guid.NewGuid().ToString("N")[..6];

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent LoginBody(string code) => Json(JsonSerializer.Serialize(new { code }));

    public static async Task<string> LoginAsync(HttpClient client, string code)
    {
        var response = await client.PostAsync("/api/auth/login", LoginBody(code));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    public static object Catalog(string productId, params (string SkuId, long Price, int Stock, int Shards)[] skus) => new
    {
        products = new[]
        {
            new
            {
                id = productId,
                name = "测试商品 " + productId,
                description = "A product for tests",
                imageUrl = "https://cdn.example/p.png",
                onSale = true,
                skus = skus.Select(s => new { id = s.SkuId, name = "规格 " + s.SkuId, price = s.Price, stock = s.Stock, onSale = true, stockShards = s.Shards }).ToArray(),
            },
        },
    };

    public static object Address() => new
    {
        userName = "张三",
        telNumber = "13800138000",
        provinceName = "广东省",
        cityName = "广州市",
        countyName = "海珠区",
        detailInfo = "新港中路397号",
        postalCode = "510000",
    };

    public static object Order(params (string SkuId, int Quantity)[] items) => new
    {
        items = items.Select(i => new { skuId = i.SkuId, quantity = i.Quantity }).ToArray(),
        address = Address(),
        remark = "请尽快发货",
    };

    public static HttpRequestMessage Authorized(HttpMethod method, string path, string token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
