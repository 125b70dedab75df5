using System.Text;
using WeStore.Application.Reconciliation;

namespace WeStore.UnitTests.Application.Reconciliation;

public sealed class TradeBillTests
{
    private const string Header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
    private const string Summary = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

    private static async Task<(List<TradeBillLine> Lines, TradeBillSummary? Summary)> ReadAsync(string text)
    {
        var bill = new TradeBill(new StringReader(text));
        var lines = new List<TradeBillLine>();
        await foreach (var line in bill.ReadLinesAsync(default)) lines.Add(line);
        return (lines, bill.Summary);
    }

    [Fact]
    public async Task Read_PaymentAndRefundRows_BackticksStrippedYuanToFen()
    {
        var text = Header + "\r\n"
            + "`2026-12-01 10:00:00,`wx1,`1900000001,`0,`,`4200001,`WS1,`o1,`JSAPI,`SUCCESS,`OTHERS,`CNY,`12.30,`0.00,`0,`0,`0.00,`0.00,`,`,`龙井茶, 50g,`,`0.07,`0.60%,`12.30,`0.00,`\r\n"
            + "`2026-12-01 11:00:00,`wx1,`1900000001,`0,`,`4200001,`WS1,`o1,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`5030,`WS1-R1,`5.00,`0.00,`ORIGINAL,`SUCCESS,`龙井茶,`,`-0.03,`0.60%,`12.30,`5.00,`\r\n"
            + Summary + "\r\n`2,`12.30,`5.00,`0.00,`0.04000,`24.60,`5.00\r\n";

        var (lines, summary) = await ReadAsync(text);

        Assert.Equal(2, lines.Count);
        Assert.Equal(("WS1", 1230L, false), (lines[0].OutTradeNo, lines[0].OrderAmount, lines[0].IsRefund));
        Assert.Equal(("WS1-R1", 500L, "SUCCESS", true), (lines[1].OutRefundNo, lines[1].RequestedRefundAmount, lines[1].RefundStatus, lines[1].IsRefund));
        Assert.Equal(new TradeBillSummary(2, 1230, 500, 2460, 500), summary);
    }

    [Theory]
    [InlineData("12.30", 1230)]
    [InlineData("0.01", 1)]
    [InlineData("-0.03", -3)]
    [InlineData("100", 10000)]
    public void Fen_Yuan_Converted(string yuan, long fen) => Assert.Equal(fen, TradeBill.Fen(yuan));

    [Theory]
    [InlineData("1.234")]
    [InlineData("abc")]
    [InlineData("")]
    public void Fen_NotAnAmount_Throws(string yuan) => Assert.Throws<TradeBill.FormatException>(() => TradeBill.Fen(yuan));

    [Fact]
    public async Task Read_MissingColumn_Throws()
        => await Assert.ThrowsAsync<TradeBill.FormatException>(() => ReadAsync("交易时间,商户订单号\r\n`x,`y\r\n"));

    [Fact]
    public async Task Read_NoSummary_SummaryNull()
    {
        var (lines, summary) = await ReadAsync(Header + "\r\n");
        Assert.Empty(lines);
        Assert.Null(summary);
    }
}
