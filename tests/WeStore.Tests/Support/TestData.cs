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

    public static HttpRequestMessage Authorized(HttpMethod method, string path, string token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
