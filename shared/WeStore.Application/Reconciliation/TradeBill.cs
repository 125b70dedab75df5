using System.Globalization;
using System.Runtime.CompilerServices;

namespace WeStore.Application.Reconciliation;

/// <summary>One detail row of an ALL trade bill, amounts in fen.</summary>
public sealed record TradeBillLine(
    string TradeTime, string TransactionId, string OutTradeNo, string TradeState, long SettlementAmount, string OutRefundNo, long RefundAmount,
    string RefundStatus, long OrderAmount, long RequestedRefundAmount)
{
    /// <summary>A refund row (交易状态 REFUND, with a 商户退款单号), as opposed to a payment row.</summary>
    public bool IsRefund => TradeState == "REFUND" && OutRefundNo is { Length: > 0 } no && no != "0";
}

/// <summary>The bill's summary row: 总交易单数, 应结订单总金额, 退款总金额, 订单总金额, 申请退款总金额 (fen).</summary>
public sealed record TradeBillSummary(int Count, long Settlement, long Refunds, long Orders, long RequestedRefunds);

/// <summary>
/// WeChat Pay's ALL trade bill, read as a stream: a detail header, detail rows, a summary header, a summary row; every
/// field of a data row begins with a backtick and fields are separated by <c>,`</c> (a name may hold a comma);
/// amounts are yuan with two decimals (https://pay.weixin.qq.com/docs/merchant/products/bill-download/format-trade.html).
/// Columns are found by their headers, so a reordered or widened file still reads.
/// </summary>
public sealed class TradeBill(TextReader reader)
{
    /// <summary>The summary row, once the detail rows have been read (null if the file ended without one).</summary>
    public TradeBillSummary? Summary { get; private set; }

    public async IAsyncEnumerable<TradeBillLine> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var header = await reader.ReadLineAsync(cancellationToken) ?? throw new FormatException("The bill is empty.");
        var columns = header.TrimStart('\uFEFF').Split(',').Select(h => h.Trim()).ToList();
        int Column(string name) => columns.IndexOf(name) is >= 0 and var i ? i : throw new FormatException($"The bill has no column {name}.");
        var (time, transaction, outTradeNo, state, settlement, outRefundNo, refund, refundStatus, order, requested) =
            (Column("交易时间"), Column("微信订单号"), Column("商户订单号"), Column("交易状态"), Column("应结订单金额"), Column("商户退款单号"), Column("退款金额"),
             Column("退款状态"), Column("订单金额"), Column("申请退款金额"));
        var number = 1;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Length == 0) continue;
            if (line[0] != '`')
            {
                // The summary header; its one data row follows.
                var names = line.Split(',').Select(h => h.Trim()).ToList();
                var values = Fields(await reader.ReadLineAsync(cancellationToken) ?? throw new FormatException("The bill's summary row is missing."));
                string Value(string name) => names.IndexOf(name) is >= 0 and var i && i < values.Length ? values[i] : throw new FormatException($"The summary has no {name}.");
                if (!int.TryParse(Value("总交易单数"), NumberStyles.None, CultureInfo.InvariantCulture, out var count)) throw new FormatException("The summary's count is not a number.");
                Summary = new TradeBillSummary(count, Fen(Value("应结订单总金额")), Fen(Value("退款总金额")), Fen(Value("订单总金额")), Fen(Value("申请退款总金额")));
                yield break;
            }

            var f = Fields(line);
            if (f.Length < columns.Count) throw new FormatException($"Line {number} has {f.Length} fields, the header {columns.Count}.");
            yield return new TradeBillLine(f[time], f[transaction], f[outTradeNo], f[state], Fen(f[settlement]), f[outRefundNo], Fen(f[refund]), f[refundStatus],
                Fen(f[order]), Fen(f[requested]));
        }

    }

    public sealed class FormatException(string message) : Exception(message);

    /// <summary>A data row's fields: the leading backtick dropped, split on <c>,`</c>.</summary>
    public static string[] Fields(string line) => (line.Length > 0 && line[0] == '`' ? line[1..] : line).Split(",`");

    /// <summary>Yuan with up to two decimals ("12.30", "-0.01", "0") to fen.</summary>
    public static long Fen(string yuan)
    {
        if (!decimal.TryParse(yuan.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{yuan}' is not an amount in yuan.");
        }

        var fen = value * 100;
        return fen == decimal.Truncate(fen) ? (long)fen : throw new FormatException($"'{yuan}' has more than two decimals.");
    }
}
