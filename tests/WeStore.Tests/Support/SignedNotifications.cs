using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WeStore.WeChat.Pay;

namespace WeStore.Tests.Support;

/// <summary>Builds WeChat Pay notifications signed and encrypted with the sandbox's keys, to send (or forge) in tests.</summary>
public static class SignedNotifications
{
    public sealed record Notification(string Body, Dictionary<string, string> Headers)
    {
        public HttpRequestMessage ToRequest(string path = "/api/pay/notify", string? bodyOverride = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(bodyOverride ?? Body, Encoding.UTF8, "application/json") };
            foreach (var (k, v) in Headers) request.Headers.TryAddWithoutValidation(k, v);
            return request;
        }
    }

    public static JsonObject Transaction(RunningSandbox sandbox, string orderNo, string openId, long total, string transactionId = "4200000000202611250000000001")
        => new()
        {
            ["appid"] = sandbox.Options.AppId,
            ["mchid"] = sandbox.Keys.MchId,
            ["out_trade_no"] = orderNo,
            ["transaction_id"] = transactionId,
            ["trade_type"] = "JSAPI",
            ["trade_state"] = "SUCCESS",
            ["trade_state_desc"] = "支付成功",
            ["bank_type"] = "OTHERS",
            ["success_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["payer"] = new JsonObject { ["openid"] = openId },
            ["amount"] = new JsonObject { ["total"] = total, ["payer_total"] = total, ["currency"] = "CNY", ["payer_currency"] = "CNY" },
        };

    public static Notification Build(
        RunningSandbox sandbox, JsonObject resource, string eventType = "TRANSACTION.SUCCESS", RSA? signWith = null,
        string? apiV3Key = null, long? timestamp = null, string? serial = null, string originalType = "transaction")
    {
        var nonce = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        var ciphertext = ResourceDecryptor.Encrypt(Encoding.UTF8.GetBytes(apiV3Key ?? sandbox.Keys.ApiV3Key), nonce, originalType, resource.ToJsonString());
        var body = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["create_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["resource_type"] = "encrypt-resource",
            ["event_type"] = eventType,
            ["summary"] = "支付成功",
            ["resource"] = new JsonObject
            {
                ["original_type"] = originalType, ["algorithm"] = "AEAD_AES_256_GCM", ["ciphertext"] = ciphertext,
                ["associated_data"] = originalType, ["nonce"] = nonce,
            },
        }.ToJsonString();
        return Sign(sandbox, body, signWith, timestamp, serial);
    }

    public static Notification Sign(RunningSandbox sandbox, string body, RSA? signWith = null, long? timestamp = null, string? serial = null)
    {
        var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var message = Encoding.UTF8.GetBytes($"{ts}\n{nonce}\n{body}\n");
        var signature = Convert.ToBase64String((signWith ?? sandbox.Keys.PlatformPrivateKey).SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return new Notification(body, new Dictionary<string, string>
        {
            ["Wechatpay-Timestamp"] = ts,
            ["Wechatpay-Nonce"] = nonce,
            ["Wechatpay-Signature"] = signature,
            ["Wechatpay-Serial"] = serial ?? sandbox.Keys.PlatformPublicKeyId,
            ["Wechatpay-Signature-Type"] = "WECHATPAY2-SHA256-RSA2048",
        });
    }
}
