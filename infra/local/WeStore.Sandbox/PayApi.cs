using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeStore.Sandbox;

/// <summary>One sandbox transaction, as WeChat Pay would hold it.</summary>
public sealed class SandboxTransaction
{
    public required string OutTradeNo { get; init; }
    public required string AppId { get; init; }
    public required string OpenId { get; init; }
    public required long Total { get; init; }
    public required string Description { get; init; }
    public required string NotifyUrl { get; init; }
    public required string RequestBody { get; init; }
    public required DateTimeOffset TimeExpire { get; init; }
    public string? Attach { get; init; }
    public string PrepayId { get; set; } = string.Empty;
    public string TradeState { get; set; } = "NOTPAY";
    public string? TransactionId { get; set; }
    public DateTimeOffset? SuccessTime { get; set; }
    [System.Text.Json.Serialization.JsonObjectCreationHandling(System.Text.Json.Serialization.JsonObjectCreationHandling.Populate)]
    public List<SandboxRefund> Refunds { get; } = [];
}

public sealed class SandboxRefund
{
    public required string OutRefundNo { get; init; }
    public required string RefundId { get; init; }
    public required long Amount { get; init; }
    public string? NotifyUrl { get; init; }
    public string Status { get; set; } = "PROCESSING";
    public DateTimeOffset? SuccessTime { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public string? Reason { get; init; }

    /// <summary>How the last abnormal-refund application asked to pay it out (USER_BANK_CARD / MERCHANT_BANK_CARD).</summary>
    public string? AbnormalRefundType { get; set; }
}

/// <summary>
/// api.mch.weixin.qq.com v3 for JSAPI prepay, query and close. Each request's Authorization is checked against the
/// merchant's public key over <c>METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n</c>; each answer (204 included) is
/// signed with WeChat Pay's key and names <c>Wechatpay-Serial</c>: the public key id. This code is written apart
/// from the store's client on purpose, so a mistake in one is not mirrored in the other.
/// </summary>
internal static partial class PayApi
{
    [GeneratedRegex("^[0-9A-Za-z_\\-|*]{6,32}$")]
    private static partial Regex OutTradeNoPattern();

    public static void Map(WebApplication app)
    {
        app.MapPost("/v3/pay/transactions/jsapi", async (HttpContext context, PayState state, SandboxKeys keys, TimeProvider time) =>
        {
            var body = await ReadBodyAsync(context);
            if (Authenticate(context, body, keys, time) is { } denied) return denied;
            var json = TryParse(body);
            string? S(string name) => json?[name]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? json[name]!.GetValue<string>() : null;
            var outTradeNo = S("out_trade_no");
            var total = json?["amount"]?["total"]?.GetValue<long>() ?? 0;
            var openId = json?["payer"]?["openid"]?.GetValue<string>();
            var description = S("description");
            if (json is null || S("appid") is null || S("mchid") != keys.MchId || outTradeNo is null || !OutTradeNoPattern().IsMatch(outTradeNo)
                || description is null || description.Length > 127 || S("notify_url") is null || total <= 0 || string.IsNullOrEmpty(openId)
                || !DateTimeOffset.TryParseExact(S("time_expire"), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expire))
            {
                return Error(context, keys, 400, "PARAM_ERROR", "参数错误");
            }

            var created = state.Transactions.GetOrAdd(outTradeNo, _ => new SandboxTransaction
            {
                OutTradeNo = outTradeNo, AppId = S("appid")!, OpenId = openId, Total = total, Description = description,
                NotifyUrl = S("notify_url")!, RequestBody = body, TimeExpire = expire, Attach = S("attach"),
            });
            lock (created)
            {
                if (created.Total != total || created.OpenId != openId)
                {
                    return Error(context, keys, 400, "INVALID_REQUEST", "201 商户订单号重复");
                }

                if (created.TradeState is "SUCCESS" or "REFUND") return Error(context, keys, 400, "ORDERPAID", "该订单已支付");
                if (created.TradeState == "CLOSED") return Error(context, keys, 400, "ORDER_CLOSED", "订单已关闭");
                created.PrepayId = "wx" + time.GetUtcNow().ToString("ddHHmmss", CultureInfo.InvariantCulture) + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
                state.Changed(created);
                state.Record("prepay");
                return Signed(context, keys, 200, new JsonObject { ["prepay_id"] = created.PrepayId }.ToJsonString());
            }
        });

        app.MapGet("/v3/pay/transactions/out-trade-no/{outTradeNo}", async (HttpContext context, string outTradeNo, PayState state, SandboxKeys keys, TimeProvider time) =>
        {
            if (Authenticate(context, await ReadBodyAsync(context), keys, time) is { } denied) return denied;
            if (context.Request.Query["mchid"] != keys.MchId) return Error(context, keys, 400, "PARAM_ERROR", "mchid mismatch");
            state.Record("query");
            if (!state.Transactions.TryGetValue(outTradeNo, out var t)) return Error(context, keys, 404, "ORDER_NOT_EXIST", "订单不存在");
            lock (t) return Signed(context, keys, 200, TransactionJson(t, keys).ToJsonString());
        });

        app.MapPost("/v3/pay/transactions/out-trade-no/{outTradeNo}/close", async (HttpContext context, string outTradeNo, PayState state, SandboxKeys keys, TimeProvider time) =>
        {
            var body = await ReadBodyAsync(context);
            if (Authenticate(context, body, keys, time) is { } denied) return denied;
            if (TryParse(body)?["mchid"]?.ToString() != keys.MchId) return Error(context, keys, 400, "PARAM_ERROR", "mchid mismatch");
            state.Record("close");
            if (!state.Transactions.TryGetValue(outTradeNo, out var t)) return Error(context, keys, 404, "ORDER_NOT_EXIST", "订单不存在");
            lock (t)
            {
                if (t.TradeState is "SUCCESS" or "REFUND") return Error(context, keys, 400, "ORDERPAID", "该订单已支付");
                t.TradeState = "CLOSED";
                state.Changed(t);
                return Signed(context, keys, 204, string.Empty);
            }
        });
    }

    public static void MapRefunds(WebApplication app)
    {
        app.MapPost("/v3/refund/domestic/refunds", async (HttpContext context, PayState state, SandboxKeys keys, TimeProvider time) =>
        {
            var body = await ReadBodyAsync(context);
            if (Authenticate(context, body, keys, time) is { } denied) return denied;
            var json = TryParse(body);
            var outTradeNo = json?["out_trade_no"]?.ToString();
            var outRefundNo = json?["out_refund_no"]?.ToString();
            var refund = json?["amount"]?["refund"]?.GetValue<long>() ?? 0;
            var total = json?["amount"]?["total"]?.GetValue<long>() ?? 0;
            if (outTradeNo is null || outRefundNo is null || outRefundNo.Length > 64 || refund <= 0) return Error(context, keys, 400, "PARAM_ERROR", "参数错误");
            state.Record("refund");
            if (!state.Transactions.TryGetValue(outTradeNo, out var t)) return Error(context, keys, 404, "RESOURCE_NOT_EXISTS", "订单不存在");
            lock (t)
            {
                if (t.TradeState is not ("SUCCESS" or "REFUND")) return Error(context, keys, 400, "INVALID_REQUEST", "订单未支付");
                var existing = t.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo);
                if (existing is null)
                {
                    if (total != t.Total) return Error(context, keys, 400, "PARAM_ERROR", "订单金额不一致");
                    if (t.Refunds.Where(r => r.Status != "CLOSED").Sum(r => r.Amount) + refund > t.Total) return Error(context, keys, 403, "NOT_ENOUGH", "可退金额不足");
                    existing = new SandboxRefund
                    {
                        OutRefundNo = outRefundNo,
                        RefundId = "5030" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)),
                        Amount = refund,
                        NotifyUrl = json?["notify_url"]?.ToString(),
                        CreatedAt = time.GetUtcNow(),
                        Reason = json?["reason"]?.ToString(),
                    };
                    t.Refunds.Add(existing);
                    t.TradeState = "REFUND";
                }

                state.Changed(t);
                return Signed(context, keys, 200, RefundJson(t, existing).ToJsonString());
            }
        });

        // The refund as it stands: PROCESSING until the shopper side steers it (POST /sandbox/pay/{outTradeNo}?refund=).
        app.MapGet("/v3/refund/domestic/refunds/{outRefundNo}", async (HttpContext context, string outRefundNo, PayState state, SandboxKeys keys, TimeProvider time) =>
        {
            if (Authenticate(context, await ReadBodyAsync(context), keys, time) is { } denied) return denied;
            state.Record("refund-query");
            foreach (var t in state.Transactions.Values)
            {
                lock (t)
                {
                    if (t.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo) is { } r) return Signed(context, keys, 200, RefundJson(t, r).ToJsonString());
                }
            }

            return Error(context, keys, 404, "RESOURCE_NOT_EXISTS", "退款单不存在");
        });

        // An ABNORMAL refund paid out again: to the buyer's debit card (account and name encrypted with WeChat Pay's
        // public key, RSA-OAEP) or to the merchant's account. PROCESSING after, then steerable again.
        app.MapPost("/v3/refund/domestic/refunds/{refundId}/apply-abnormal-refund", async (HttpContext context, string refundId, PayState state, SandboxKeys keys, TimeProvider time) =>
        {
            var body = await ReadBodyAsync(context);
            if (Authenticate(context, body, keys, time) is { } denied) return denied;
            state.Record("apply-abnormal-refund");
            var json = TryParse(body);
            var outRefundNo = json?["out_refund_no"]?.ToString();
            var type = json?["type"]?.ToString();
            if (outRefundNo is null || type is not ("USER_BANK_CARD" or "MERCHANT_BANK_CARD")) return Error(context, keys, 400, "PARAM_ERROR", "参数错误");
            if (type == "USER_BANK_CARD")
            {
                if (json?["bank_type"] is null || !Decrypts(json["bank_account"]?.ToString(), keys) || !Decrypts(json["real_name"]?.ToString(), keys))
                {
                    return Error(context, keys, 400, "PARAM_ERROR", "银行卡信息有误或未加密");
                }

                if (context.Request.Headers["Wechatpay-Serial"] != keys.PlatformPublicKeyId) return Error(context, keys, 400, "PARAM_ERROR", "Wechatpay-Serial 与加密公钥不一致");
            }

            foreach (var t in state.Transactions.Values)
            {
                lock (t)
                {
                    if (t.Refunds.FirstOrDefault(r => r.RefundId == refundId) is not { } r) continue;
                    if (r.OutRefundNo != outRefundNo) return Error(context, keys, 400, "PARAM_ERROR", "退款单号与退款ID不匹配");
                    if (r.Status != "ABNORMAL") return Error(context, keys, 400, "INVALID_REQUEST", "退款单状态不是退款异常");
                    r.Status = "PROCESSING";
                    r.AbnormalRefundType = type;
                    state.Changed(t);
                    return Signed(context, keys, 200, RefundJson(t, r).ToJsonString());
                }
            }

            return Error(context, keys, 404, "RESOURCE_NOT_EXISTS", "退款单不存在");
        });
    }

    private static bool Decrypts(string? ciphertext, SandboxKeys keys)
    {
        if (string.IsNullOrEmpty(ciphertext)) return false;
        try
        {
            return keys.PlatformPrivateKey.Decrypt(Convert.FromBase64String(ciphertext), RSAEncryptionPadding.OaepSHA1).Length > 0;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }

    public static JsonObject RefundJson(SandboxTransaction t, SandboxRefund r) => new()
    {
        ["refund_id"] = r.RefundId,
        ["out_refund_no"] = r.OutRefundNo,
        ["transaction_id"] = t.TransactionId,
        ["out_trade_no"] = t.OutTradeNo,
        ["channel"] = "ORIGINAL",
        ["status"] = r.Status,
        ["create_time"] = r.CreatedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["success_time"] = r.SuccessTime?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["amount"] = new JsonObject { ["total"] = t.Total, ["refund"] = r.Amount, ["payer_total"] = t.Total, ["payer_refund"] = r.Amount, ["currency"] = "CNY" },
    };

    public static JsonObject TransactionJson(SandboxTransaction t, SandboxKeys keys)
    {
        var json = new JsonObject
        {
            ["appid"] = t.AppId,
            ["mchid"] = keys.MchId,
            ["out_trade_no"] = t.OutTradeNo,
            ["trade_type"] = "JSAPI",
            ["trade_state"] = t.TradeState,
            ["trade_state_desc"] = t.TradeState switch { "SUCCESS" => "支付成功", "CLOSED" => "已关闭", "REFUND" => "转入退款", _ => "未支付" },
            ["payer"] = new JsonObject { ["openid"] = t.OpenId },
            ["amount"] = new JsonObject { ["total"] = t.Total, ["currency"] = "CNY", ["payer_total"] = t.Total, ["payer_currency"] = "CNY" },
        };
        if (t.Attach is not null) json["attach"] = t.Attach;
        if (t.TransactionId is not null)
        {
            json["transaction_id"] = t.TransactionId;
            json["bank_type"] = "OTHERS";
            json["success_time"] = t.SuccessTime!.Value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        }

        return json;
    }

    /// <summary>Signs a body (WeChat Pay's side): <c>timestamp\nnonce\nbody\n</c> with the platform key.</summary>
    public static (string Timestamp, string Nonce, string Signature) Sign(SandboxKeys keys, TimeProvider time, string body)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var message = Encoding.UTF8.GetBytes(timestamp + "\n" + nonce + "\n" + body + "\n");
        return (timestamp, nonce, Convert.ToBase64String(keys.PlatformPrivateKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    private static IResult Signed(HttpContext context, SandboxKeys keys, int status, string body)
    {
        var (timestamp, nonce, signature) = Sign(keys, context.RequestServices.GetRequiredService<TimeProvider>(), body);
        var headers = context.Response.Headers;
        headers["Wechatpay-Timestamp"] = timestamp;
        headers["Wechatpay-Nonce"] = nonce;
        headers["Wechatpay-Signature"] = signature;
        headers["Wechatpay-Serial"] = keys.PlatformPublicKeyId;
        headers["Request-ID"] = Guid.NewGuid().ToString();
        return status == 204 ? Results.NoContent() : Results.Text(body, "application/json", Encoding.UTF8, status);
    }

    private static IResult Error(HttpContext context, SandboxKeys keys, int status, string code, string message)
        => Signed(context, keys, status, new JsonObject { ["code"] = code, ["message"] = message }.ToJsonString());

    /// <summary>Checks the merchant's Authorization header; null when it holds, else the 401 to answer.</summary>
    private static IResult? Authenticate(HttpContext context, string body, SandboxKeys keys, TimeProvider time)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "WECHATPAY2-SHA256-RSA2048 ";
        if (!header.StartsWith(scheme, StringComparison.Ordinal)) return SignError(context, keys, "Authorization 头缺失或格式错误");
        var pairs = header[scheme.Length..].Split(',')
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim().Trim('"'));
        if (!pairs.TryGetValue("mchid", out var mchId) || mchId != keys.MchId
            || !pairs.TryGetValue("serial_no", out var serial) || serial != keys.MerchantSerialNo
            || !pairs.TryGetValue("nonce_str", out var nonce) || !pairs.TryGetValue("timestamp", out var timestamp)
            || !pairs.TryGetValue("signature", out var signature))
        {
            return SignError(context, keys, "商户号、证书序列号或签名参数错误");
        }

        if (!long.TryParse(timestamp, CultureInfo.InvariantCulture, out var ts) || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - ts) > 300)
        {
            return SignError(context, keys, "时间戳超出范围");
        }

        var url = context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        var message = $"{context.Request.Method}\n{url}\n{timestamp}\n{nonce}\n{body}\n";
        byte[] signatureBytes;
        try
        {
            signatureBytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return SignError(context, keys, "签名不是 Base64");
        }

        return keys.MerchantPublicKey.VerifyData(Encoding.UTF8.GetBytes(message), signatureBytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? null
            : SignError(context, keys, "签名错误");
    }

    private static IResult SignError(HttpContext context, SandboxKeys keys, string message)
    {
        context.RequestServices.GetRequiredService<PayState>().Record("sign_error");
        return Error(context, keys, 401, "SIGN_ERROR", message);
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return string.IsNullOrEmpty(body) ? null : JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The sandbox's WeChat Pay records, which the invariant checker compares with the store and the trade bill is made
/// from. They survive a restart (reconciliation needs yesterday's): each change appends the transaction as it now
/// stands to <c>pay-records.jsonl</c> in the data folder, and a start replays the file (the last line of each
/// transaction wins) and rewrites it compacted.
/// </summary>
public sealed class PayState : IDisposable
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly object _logLock = new();
    private readonly StreamWriter _log;

    public PayState(SandboxOptions options)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var path = Path.Combine(options.DataDirectory, "pay-records.jsonl");
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.Length == 0) continue;
                try
                {
                    if (System.Text.Json.JsonSerializer.Deserialize<SandboxTransaction>(line, Json) is { } t) Transactions[t.OutTradeNo] = t;
                }
                catch (System.Text.Json.JsonException)
                {
                    // A line cut short by a crash: the transaction's earlier line stands.
                }
            }

            File.WriteAllLines(path + ".tmp", Transactions.Values.Select(t => System.Text.Json.JsonSerializer.Serialize(t, Json)));
            File.Move(path + ".tmp", path, overwrite: true);
        }

        _log = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { AutoFlush = true };
    }

    public ConcurrentDictionary<string, SandboxTransaction> Transactions { get; } = new(StringComparer.Ordinal);

    public int Count(string call) => _calls.GetValueOrDefault(call);

    public void Record(string call) => _calls.AddOrUpdate(call, 1, (_, n) => n + 1);

    public void Dispose()
    {
        lock (_logLock) _log.Dispose();
    }

    /// <summary>Writes the transaction as it stands; call it under the transaction's lock, after each change.</summary>
    public void Changed(SandboxTransaction transaction)
    {
        var line = System.Text.Json.JsonSerializer.Serialize(transaction, Json);
        lock (_logLock) _log.WriteLine(line);
    }
}
