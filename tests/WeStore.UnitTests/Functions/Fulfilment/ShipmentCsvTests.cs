using System.Text;
using WeStore.Functions.Fulfilment;

namespace WeStore.UnitTests.Functions.Fulfilment;

public sealed class ShipmentCsvTests
{
    private const string OrderA = "WSAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string OrderB = "WSBBBBBBBBBBBBBBBBBBBBBBBB";

    private static (IReadOnlyList<WeStore.Application.Fulfilment.CsvShipmentLine> Lines, IReadOnlyList<CsvLineError> Errors, bool TooMany) Parse(string text)
        => ShipmentCsv.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Parse_HeaderAndLines_LinesNumberedFromTheFile()
    {
        var (lines, errors, _) = Parse($"orderNo,expressCompany,trackingNo,skuId,quantity\r\n{OrderA},YTO,YT1,sku-a,2\r\n{OrderA},YTO,YT1,sku-b,1\r\n{OrderB},SF,SF9\r\n");

        Assert.Empty(errors);
        Assert.Equal([2, 3, 4], lines.Select(l => l.Line));
        Assert.Equal(("sku-a", 2), (lines[0].SkuId, lines[0].Quantity));
        Assert.Null(lines[2].SkuId);
        Assert.Null(lines[2].Quantity);
    }

    [Fact]
    public void Parse_BomQuotesBlankLines_Read()
    {
        var (lines, errors, _) = Parse($"\uFEFF\"{OrderA}\",\"YTO\",\"YT1\"\n\n{OrderB}, ZTO , ZT2 \n");

        Assert.Empty(errors);
        Assert.Equal([OrderA, OrderB], lines.Select(l => l.OrderNo));
        Assert.Equal("ZTO", lines[1].ExpressCompany);
        Assert.Equal("ZT2", lines[1].TrackingNo);
    }

    [Theory]
    [InlineData("WS1,YTO,YT1", "orderNo")]
    [InlineData("WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,", "trackingNo is empty")]
    [InlineData("WSAAAAAAAAAAAAAAAAAAAAAAAA,,YT1", "expressCompany")]
    [InlineData("WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,YT 1", "trackingNo")]
    [InlineData("WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,YT1,sku-a", "3 fields")]
    [InlineData("WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,YT1,sku-a,0", "quantity")]
    [InlineData("WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,YT1,sku-a,two", "quantity")]
    [InlineData("WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,YT1,../x,1", "skuId")]
    [InlineData("=cmd|'/c calc'!A1,YTO,YT1", "orderNo")]
    [InlineData("WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,\"YT1", "quote")]
    public void Parse_BadLine_ReportedWithReason(string line, string reason)
    {
        var (lines, errors, _) = Parse($"{OrderB},YTO,YT9\n{line}\n");

        Assert.Single(lines);
        var error = Assert.Single(errors);
        Assert.Equal(2, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_QuotedFieldWithComma_OneField()
    {
        var (_, errors, _) = Parse($"{OrderA},\"YTO,ZTO\",YT1\n");
        Assert.Contains("expressCompany", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverMaxLines_TooMany()
    {
        var text = string.Concat(Enumerable.Repeat($"{OrderA},YTO,YT1\n", ShipmentCsv.MaxLines + 1));
        Assert.True(Parse(text).TooMany);
    }
}
