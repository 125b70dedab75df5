using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace WeStore.Sandbox;

/// <summary>
/// <c>POST /sandbox/pay/{outTradeNo}</c> plays the shopper who pays: the transaction becomes SUCCESS and the signed,
/// encrypted TRANSACTION.SUCCESS notification is posted to the order's notify_url. It answers with what the notify
/// function answered, so a script can see whether the store accepted it.
/// </summary>
internal static class ShopperApi
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/sandbox/pay/{outTradeNo}", async (string outTradeNo, string? refund, string? result, bool? force, PayState state, SandboxKeys keys,
            TimeProvider time, IHttpClientFactory clients, CancellationToken ct) =>
        {
            if (!state.Transactions.TryGetValue(outTradeNo, out var t)) return Results.NotFound(new { error = "no prepay order with that out_trade_no" });
            if (refund is not null) return await RefundAsync(t, refund, result, state, keys, time, clients, ct);
            string plaintext;
            lock (t)
            {
                // force=true plays the race where WeChat Pay took the money just as the store closed the order.
                if (t.TradeState == "CLOSED" && force != true) return Results.Conflict(new { error = "the order is closed at WeChat Pay" });
                if (t.TradeState is "NOTPAY" or "CLOSED")
                {
                    if (time.GetUtcNow() > t.TimeExpire) return Results.Conflict(new { error = "time_expire has passed" });
                    t.TradeState = "SUCCESS";
                    t.TransactionId = "4200" + time.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture) + Convert.ToHexString(RandomNumberGenerator.GetBytes(10));
                    t.SuccessTime = time.GetUtcNow();
                    state.Changed(t);
                }

                plaintext = PayApi.TransactionJson(t, keys).ToJsonString();
            }

            state.Record("pay");
            var (status, answer) = await NotifyAsync(t.NotifyUrl, "TRANSACTION.SUCCESS", "支付成功", "transaction", plaintext, keys, time, clients, ct);
            return Results.Json(new { outTradeNo, tradeState = "SUCCESS", notifyStatus = status, notifyBody = answer });
        });

        // What WeChat Pay holds, for the invariant checker: every transaction with its state, amount and refunds.
        app.MapGet("/sandbox/pay/transactions", (PayState state) => Results.Json(new
        {
            transactions = state.Transactions.Values.Select(t =>
            {
                lock (t)
                {
                    return new
                    {
                        outTradeNo = t.OutTradeNo, openId = t.OpenId, tradeState = t.TradeState, total = t.Total,
                        refunded = t.Refunds.Where(r => r.Status == "SUCCESS").Sum(r => r.Amount),
                        refunds = t.Refunds.Select(r => new { outRefundNo = r.OutRefundNo, amount = r.Amount, status = r.Status }).ToList(),
                    };
                }
            }).ToList(),
        }));
    }

    private static async Task<IResult> RefundAsync(SandboxTransaction t, string outRefundNo, string? result, PayState state, SandboxKeys keys,
        TimeProvider time, IHttpClientFactory clients, CancellationToken ct)
    {
        SandboxRefund? r;
        string plaintext;
        var verdict = result?.ToUpperInvariant() switch { "CLOSED" => "CLOSED", "ABNORMAL" => "ABNORMAL", _ => "SUCCESS" };
        lock (t)
        {
            r = t.Refunds.FirstOrDefault(x => x.OutRefundNo == outRefundNo);
            if (r is null) return Results.NotFound(new { error = "no refund with that out_refund_no" });
            r.Status = verdict;
            if (verdict == "SUCCESS") r.SuccessTime = time.GetUtcNow();
            state.Changed(t);
            var json = new JsonObject
            {
                ["mchid"] = keys.MchId,
                ["out_trade_no"] = t.OutTradeNo,
                ["transaction_id"] = t.TransactionId,
                ["out_refund_no"] = r.OutRefundNo,
                ["refund_id"] = r.RefundId,
                ["refund_status"] = r.Status,
                ["success_time"] = (r.SuccessTime ?? time.GetUtcNow()).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                ["user_received_account"] = "支付用户零钱",
                ["amount"] = new JsonObject { ["total"] = t.Total, ["refund"] = r.Amount, ["payer_total"] = t.Total, ["payer_refund"] = r.Amount },
            };
            plaintext = json.ToJsonString();
        }

        if (r.NotifyUrl is null) return Results.Json(new { outRefundNo, status = r.Status, notifyStatus = 0, notifyBody = "no notify_url" });
        var (status, answer) = await NotifyAsync(r.NotifyUrl, "REFUND." + verdict, verdict switch { "CLOSED" => "退款关闭", "ABNORMAL" => "退款异常", _ => "退款成功" },
            "refund", plaintext, keys, time, clients, ct);
        return Results.Json(new { outRefundNo, status = r.Status, notifyStatus = status, notifyBody = answer });
    }

    public static async Task<(int Status, string Body)> NotifyAsync(
        string url, string eventType, string summary, string originalType, string plaintext,
        SandboxKeys keys, TimeProvider time, IHttpClientFactory clients, CancellationToken ct)
    {
        var nonce = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        var associated = originalType;
        var ciphertext = Encrypt(keys.ApiV3Key, nonce, associated, plaintext);
        var body = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["create_time"] = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["resource_type"] = "encrypt-resource",
            ["event_type"] = eventType,
            ["summary"] = summary,
            ["resource"] = new JsonObject
            {
                ["original_type"] = originalType,
                ["algorithm"] = "AEAD_AES_256_GCM",
                ["ciphertext"] = ciphertext,
                ["associated_data"] = associated,
                ["nonce"] = nonce,
            },
        }.ToJsonString();
        var (timestamp, signNonce, signature) = PayApi.Sign(keys, time, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Wechatpay-Timestamp", timestamp);
        request.Headers.Add("Wechatpay-Nonce", signNonce);
        request.Headers.Add("Wechatpay-Signature", signature);
        request.Headers.Add("Wechatpay-Serial", keys.PlatformPublicKeyId);
        request.Headers.Add("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        try
        {
            using var response = await clients.CreateClient("notify").SendAsync(request, ct);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
        catch (HttpRequestException e)
        {
            return (0, e.Message);
        }
    }

    private static string Encrypt(string apiV3Key, string nonce, string associatedData, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[plain.Length + 16];
        using var aes = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), 16);
        aes.Encrypt(Encoding.UTF8.GetBytes(nonce), plain, output.AsSpan(0, plain.Length), output.AsSpan(plain.Length), Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }
}
