using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeStore.Load;

/// <summary>
/// Payment notifications: orders are placed first (not measured), then one signed, encrypted TRANSACTION.SUCCESS
/// notification per order is posted to the store, built with the sandbox's keys as WeChat Pay would.
/// </summary>
public sealed class NotifyScenario(HttpClient client, StoreApi api, string sandboxData, string appId)
{
    private readonly List<(string OrderNo, string OpenId, long Total)> _orders = [];
    private RSA _platform = null!;
    private JsonElement _ids;

    /// <summary>Places <paramref name="orders"/> orders (one unit each, 64 shoppers). A placement the store answers with
    /// an error (storage faults may be on) is retried with the same idempotency key, as the Mini Program would.</summary>
    public async Task SetupAsync(string run, int orders, int concurrency)
    {
        _ids = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(sandboxData, "wechatpay.json"))).RootElement.Clone();
        _platform = RSA.Create();
        _platform.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(sandboxData, "platform_private_key.pem")));
        var sku = $"notify-{run}";
        Sku = sku;
        await Retry.UntilAsync(() => api.ImportSkuAsync($"notifyp-{run}", sku, 100, 5_000_000, 16));
        var shoppers = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i => (Token: await Retry.UntilAsync(() => api.LoginAsync($"nload{run}s{i}.1")), Stem: $"nload{run}s{i}")));
        Tokens = shoppers.ToDictionary(s => OpenIdFromToken(s.Token), s => s.Token, StringComparer.Ordinal);
        var placed = new System.Collections.Concurrent.ConcurrentBag<(string, string, long)>();
        await LoadRunner.RunAsync("setup", concurrency, orders, TimeSpan.FromMinutes(5), async (n, ct) =>
        {
            var shopper = shoppers[n % shoppers.Length];
            var body = $$"""{"items":[{"skuId":"{{sku}}","quantity":1}],"address":{{StoreApi.Address}}}""";
            for (var attempt = 1; ; attempt++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("Authorization", "Bearer " + shopper.Token);
                request.Headers.Add("Idempotency-Key", $"{run}-{n}");
                using var response = await client.SendAsync(request, ct);
                // Up to a minute: an attempt whose answer was lost holds its stock until the store adopts it (30 s).
                if (!response.IsSuccessStatusCode && attempt < 40)
                {
                    await Task.Delay(Math.Min(200 * attempt, 2000), ct);
                    continue;
                }

                var json = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                if (!json.TryGetProperty("orderNo", out _)) throw new InvalidOperationException($"placing order {n}: {(int)response.StatusCode} {json}");
                placed.Add((json.GetProperty("orderNo").GetString()!, OpenIdFromToken(shopper.Token), json.GetProperty("amounts").GetProperty("payable").GetInt64()));
                return (int)response.StatusCode;
            }
        });
        _orders.AddRange(placed);
    }

    public int Count => _orders.Count;

    public string Sku { get; private set; } = string.Empty;

    /// <summary>Each shopper's session token by openid.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<(string OrderNo, string OpenId, long Total)> Orders => _orders;

    /// <summary>A notification for order <paramref name="n"/> that looks right but is signed with a key WeChat Pay never had.</summary>
    public async Task<int> SendForgedAsync(int n, CancellationToken ct)
    {
        var (orderNo, openId, total) = _orders[n % _orders.Count];
        using var forger = RSA.Create(2048);
        return await PostAsync(Build(orderNo, openId, total, n, forger), ct);
    }

    public async Task<int> SendAsync(int n, CancellationToken ct)
    {
        var (orderNo, openId, total) = _orders[n % _orders.Count];
        return await PostAsync(Build(orderNo, openId, total, n, _platform), ct);
    }

    private async Task<int> PostAsync((string Body, Dictionary<string, string> Headers) notification, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pay/notify") { Content = new StringContent(notification.Body, Encoding.UTF8, "application/json") };
        foreach (var (k, v) in notification.Headers) request.Headers.TryAddWithoutValidation(k, v);
        using var response = await client.SendAsync(request, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    }

    private (string Body, Dictionary<string, string> Headers) Build(string orderNo, string openId, long total, int n, RSA signer)
    {
        var resource = new JsonObject
        {
            ["appid"] = appId, ["mchid"] = _ids.GetProperty("MchId").GetString(), ["out_trade_no"] = orderNo,
            ["transaction_id"] = "4200" + n.ToString("D24", CultureInfo.InvariantCulture), ["trade_type"] = "JSAPI", ["trade_state"] = "SUCCESS",
            ["success_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["payer"] = new JsonObject { ["openid"] = openId },
            ["amount"] = new JsonObject { ["total"] = total, ["payer_total"] = total, ["currency"] = "CNY", ["payer_currency"] = "CNY" },
        }.ToJsonString();
        var nonce = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        var plain = Encoding.UTF8.GetBytes(resource);
        var sealedBytes = new byte[plain.Length + 16];
        using (var aes = new AesGcm(Encoding.UTF8.GetBytes(_ids.GetProperty("ApiV3Key").GetString()!), 16))
        {
            aes.Encrypt(Encoding.UTF8.GetBytes(nonce), plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), "transaction"u8);
        }

        var body = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["create_time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["resource_type"] = "encrypt-resource", ["event_type"] = "TRANSACTION.SUCCESS", ["summary"] = "支付成功",
            ["resource"] = new JsonObject
            {
                ["original_type"] = "transaction", ["algorithm"] = "AEAD_AES_256_GCM", ["ciphertext"] = Convert.ToBase64String(sealedBytes),
                ["associated_data"] = "transaction", ["nonce"] = nonce,
            },
        }.ToJsonString();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signNonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var signature = Convert.ToBase64String(signer.SignData(Encoding.UTF8.GetBytes($"{ts}\n{signNonce}\n{body}\n"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return (body, new Dictionary<string, string>
        {
            ["Wechatpay-Timestamp"] = ts, ["Wechatpay-Nonce"] = signNonce, ["Wechatpay-Signature"] = signature,
            ["Wechatpay-Serial"] = _ids.GetProperty("PlatformPublicKeyId").GetString()!,
        });
    }

    private static string OpenIdFromToken(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.GetProperty("sub").GetString()!;
    }

    /// <summary>Median microseconds of one RSA-2048 SHA256withRSA verify on this machine (the reference cost).</summary>
    public static double MeasureRsaVerifyMicroseconds()
    {
        using var rsa = RSA.Create(2048);
        var message = new byte[700];
        var signature = rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var samples = new List<double>();
        for (var round = 0; round < 15; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 200; i++) rsa.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            samples.Add(clock.Elapsed.TotalMicroseconds / 200);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }
}
