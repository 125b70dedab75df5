using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace WeStore.Sandbox;

/// <summary>A difference planted in a day's bill, for reconciliation tests.</summary>
public sealed record BillFault(string Kind, string? OutTradeNo);

/// <summary>Made-up payments a day's bill carries besides the real ones (a big bill for the reconciliation bench).</summary>
public sealed record BillSynthetic(int Count, string Prefix);

/// <summary>What the bill API needs beside the transactions: planted faults, synthetic lines, and the download links handed out.</summary>
public sealed class BillState
{
    public ConcurrentDictionary<string, List<BillFault>> Faults { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, BillSynthetic> Synthetic { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, (byte[] Gzip, DateTimeOffset Until)> Downloads { get; } = new(StringComparer.Ordinal);
}

internal static partial class PayApi
{
    private const string BillHeader = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
    private const string SummaryHeader = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>
    /// The trade bill (https://pay.weixin.qq.com/doc/v3/merchant/4012556654): <c>GET /v3/bill/tradebill</c> answers the
    /// SHA1 of the decompressed file and a link valid for 5 minutes; the link's GET (signed like any request) answers
    /// the gzipped CSV, unsigned. Unlike WeChat Pay, which makes yesterday's bill at 9:00, the sandbox serves any past
    /// day of the last three months and today so far, so tests and the demo need not wait a day.
    /// </summary>
    public static void MapBills(WebApplication app)
    {
        app.MapGet("/v3/bill/tradebill", async (HttpContext context, string? bill_date, string? bill_type, string? tar_type, PayState state, BillState bills, SandboxKeys keys, TimeProvider time) =>
        {
            if (Authenticate(context, await ReadBodyAsync(context), keys, time) is { } denied) return denied;
            state.Record("tradebill");
            if (!DateOnly.TryParseExact(bill_date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return Error(context, keys, 400, "PARAM_ERROR", "bill_date 格式不正确");
            if ((bill_type ?? "ALL") != "ALL") return Error(context, keys, 400, "PARAM_ERROR", "沙箱仅支持 bill_type=ALL");
            if (tar_type is not (null or "GZIP")) return Error(context, keys, 400, "PARAM_ERROR", "tar_type 只能是 GZIP");
            var today = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Shanghai).DateTime);
            if (day > today) return Error(context, keys, 400, "INVALID_REQUEST", "账单日期不能晚于今天");
            if (day < today.AddMonths(-3)) return Error(context, keys, 400, "INVALID_REQUEST", "仅支持下载三个月内的账单");
            var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var csv = BillCsv(day, state, bills, keys);
            if (csv is null) return Error(context, keys, 400, "NO_STATEMENT_EXIST", "账单文件不存在");
            var plain = Encoding.UTF8.GetBytes(csv);
            var hash = Convert.ToHexString(SHA1.HashData(plain)).ToLowerInvariant();
            if (bills.Faults.TryGetValue(key, out var faults) && faults.Any(f => f.Kind == "hash")) hash = Convert.ToHexString(SHA1.HashData(plain.Append((byte)'x').ToArray())).ToLowerInvariant();
            var gzip = Gzip(plain);
            var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            bills.Downloads[token] = (gzip, time.GetUtcNow().AddMinutes(5));
            var url = $"{context.Request.Scheme}://{context.Request.Host}/v3/billdownload/file?token={token}";
            return Signed(context, keys, 200, new JsonObject { ["hash_type"] = "SHA1", ["hash_value"] = hash, ["download_url"] = url }.ToJsonString());
        });

        app.MapGet("/v3/billdownload/file", async (HttpContext context, string? token, BillState bills, SandboxKeys keys, TimeProvider time) =>
        {
            if (Authenticate(context, await ReadBodyAsync(context), keys, time) is { } denied) return denied;
            if (token is null || !bills.Downloads.TryGetValue(token, out var file) || file.Until < time.GetUtcNow())
            {
                return Results.Json(new JsonObject { ["code"] = "INVALID_REQUEST", ["message"] = "下载链接已过期，请重新申请" }, statusCode: 400);
            }

            return Results.File(file.Gzip, "application/octet-stream");
        });

        // Plants a difference in a day's bill: missing (a payment's line left out), amount (a payment a fen more),
        // extra (a payment the store never saw), summary (the totals row off), hash (the announced SHA1 wrong).
        app.MapPost("/sandbox/pay/bill-faults", async (HttpRequest request, BillState bills) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            var day = body?["day"]?.ToString();
            var kind = body?["kind"]?.ToString();
            if (day is null || kind is not ("missing" or "amount" or "extra" or "summary" or "hash") || (kind is "missing" or "amount" && body?["outTradeNo"] is null))
            {
                return Results.BadRequest(new { error = "{day, kind: missing|amount|extra|summary|hash, outTradeNo (missing, amount)}" });
            }

            var list = bills.Faults.GetOrAdd(day, _ => []);
            lock (list) list.Add(new BillFault(kind, body?["outTradeNo"]?.ToString()));
            return Results.NoContent();
        });

        app.MapDelete("/sandbox/pay/bill-faults", (BillState bills) =>
        {
            bills.Faults.Clear();
            return Results.NoContent();
        });

        // A day's bill also carries `count` made-up payments ({prefix}{n:D8}, 1.00 to 9.99 yuan): a big bill on demand.
        app.MapPost("/sandbox/pay/bill-synthetic", async (HttpRequest request, BillState bills) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            var day = body?["day"]?.ToString();
            var count = body?["count"]?.GetValue<int>() ?? 0;
            var prefix = body?["prefix"]?.ToString();
            if (day is null || count is < 1 or > 1_000_000 || string.IsNullOrEmpty(prefix)) return Results.BadRequest(new { error = "{day, count (1..1000000), prefix}" });
            bills.Synthetic[day] = new BillSynthetic(count, prefix);
            return Results.NoContent();
        });
    }

    /// <summary>The synthetic payment number n's amount in fen, as the bill carries it: 100 to 999.</summary>
    public static long SyntheticAmount(int n) => 100 + (n % 900);

    /// <summary>The day's ALL bill: every field of every data row behind a backtick; null when the day had no trade.</summary>
    private static string? BillCsv(DateOnly day, PayState state, BillState bills, SandboxKeys keys)
    {
        var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var faults = bills.Faults.TryGetValue(key, out var f) ? [.. f] : new List<BillFault>();
        var rows = new List<(DateTimeOffset At, string Line, long Settlement, long Refund, long Fee, long Order, long Requested)>();
        bool OnDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Shanghai).DateTime) == day;
        foreach (var t in state.Transactions.Values)
        {
            lock (t)
            {
                if (t.TransactionId is null || t.SuccessTime is not { } paid) continue;
                if (OnDay(paid) && faults.All(x => !(x.Kind == "missing" && x.OutTradeNo == t.OutTradeNo)))
                {
                    var amount = t.Total + (faults.Any(x => x.Kind == "amount" && x.OutTradeNo == t.OutTradeNo) ? 1 : 0);
                    rows.Add(PaymentRow(paid, t.AppId, keys.MchId, t.TransactionId, t.OutTradeNo, t.OpenId, t.Description, t.Attach, amount));
                }

                foreach (var r in t.Refunds.Where(r => OnDay(r.CreatedAt)))
                {
                    var fee = -Fee(r.Amount);
                    var line = Row(Time(r.CreatedAt), t.AppId, keys.MchId, "0", "", t.TransactionId, t.OutTradeNo, t.OpenId, "JSAPI", "REFUND", "OTHERS", "CNY", "0.00", "0.00",
                        r.RefundId, r.OutRefundNo, Yuan(r.Amount), "0.00", "ORIGINAL", r.Status, t.Description, t.Attach ?? "", Yuan(fee), "0.60%", Yuan(t.Total), Yuan(r.Amount), "");
                    rows.Add((r.CreatedAt, line, 0, r.Amount, fee, t.Total, r.Amount));
                }
            }
        }

        if (bills.Synthetic.TryGetValue(key, out var synthetic))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Shanghai);
            for (var n = 0; n < synthetic.Count; n++)
            {
                rows.Add(PaymentRow(start.AddSeconds(n % 86_000), "wxsynthetic", keys.MchId, "4200" + n.ToString("D20", CultureInfo.InvariantCulture),
                    synthetic.Prefix + n.ToString("D8", CultureInfo.InvariantCulture), "osynthetic", "synthetic", null, SyntheticAmount(n)));
            }
        }

        foreach (var extra in faults.Where(x => x.Kind == "extra"))
        {
            rows.Add(PaymentRow(new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), Shanghai), "wxunknown", keys.MchId, "4200" + Guid.NewGuid().ToString("N")[..20],
                extra.OutTradeNo ?? "WSEXTRA" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant(), "ostranger", "not the store's", null, 1234));
        }

        if (rows.Count == 0) return null;
        var csv = new StringBuilder(BillHeader).Append("\r\n");
        foreach (var row in rows.OrderBy(r => r.At)) csv.Append(row.Line).Append("\r\n");
        var count = rows.Count + (faults.Any(x => x.Kind == "summary") ? 1 : 0);
        csv.Append(SummaryHeader).Append("\r\n");
        csv.Append(Row(count.ToString(CultureInfo.InvariantCulture), Yuan(rows.Sum(r => r.Settlement)), Yuan(rows.Sum(r => r.Refund)), "0.00",
            (rows.Sum(r => r.Fee) / 100m).ToString("0.00000", CultureInfo.InvariantCulture), Yuan(rows.Sum(r => r.Order)), Yuan(rows.Sum(r => r.Requested)))).Append("\r\n");
        return csv.ToString();
    }

    private static (DateTimeOffset, string, long, long, long, long, long) PaymentRow(
        DateTimeOffset at, string appId, string mchId, string transactionId, string outTradeNo, string openId, string description, string? attach, long amount)
    {
        var fee = Fee(amount);
        var line = Row(Time(at), appId, mchId, "0", "", transactionId, outTradeNo, openId, "JSAPI", "SUCCESS", "OTHERS", "CNY", Yuan(amount), "0.00", "0", "0", "0.00", "0.00",
            "", "", description, attach ?? "", Yuan(fee), "0.60%", Yuan(amount), "0.00", "");
        return (at, line, amount, 0, fee, amount, 0);
    }

    private static string Row(params string[] fields) => string.Join(',', fields.Select(x => "`" + x));

    private static string Time(DateTimeOffset at) => at.ToOffset(Shanghai).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The 0.6% fee WeChat Pay charges, rounded to the fen.</summary>
    private static long Fee(long fen) => (long)Math.Round(fen * 0.006m, MidpointRounding.AwayFromZero);

    private static byte[] Gzip(byte[] plain)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(plain);
        return buffer.ToArray();
    }
}
