using WeStore.Application.Fulfilment;
using WeStore.Domain.Orders;
using WeStore.Testing.Builders;

namespace WeStore.UnitTests.Application.Fulfilment;

/// <summary>The fields the upload builds by WeChat's rules: item_desc, the masked SF contact, upload_time.</summary>
public sealed class ShippingUploaderFormatTests
{
    [Fact]
    public void Describe_NamesAndQuantities()
    {
        var order = new OrderBuilder().WithLine("a", 100, 2).WithLine("b", 100, 1).Paid().Build();
        var package = new OrderPackage("P1", "YTO", "T1", [new PackageItem("a", 2), new PackageItem("b", 1)], OrderBuilder.DefaultNow);

        Assert.Equal("商品 a*2;商品 b*1", ShippingUploader.Describe(order, package));
    }

    [Fact]
    public void Describe_Long_AtMost120Characters()
    {
        var builder = new OrderBuilder();
        for (var i = 0; i < 30; i++) builder.WithLine("sku-" + i, 100, 1);
        var order = builder.Paid().Build();
        var package = new OrderPackage("P1", "YTO", "T1", [.. order.Lines.Select(l => new PackageItem(l.SkuId, 1))], OrderBuilder.DefaultNow);

        var text = ShippingUploader.Describe(order, package);

        Assert.Equal(120, text.Length);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("13800138000", "138****8000")]
    [InlineData("021-61234567", "021*****4567")]
    [InlineData("1234", "****1234")]
    [InlineData("123456", "**3456")]
    public void MaskPhone_LastFourKept(string phone, string masked)
    {
        Assert.Equal(masked, ShippingUploader.MaskPhone(phone));
        Assert.Equal(phone[^4..], ShippingUploader.MaskPhone(phone)[^4..]);
    }

    [Fact]
    public void UploadTime_Rfc3339WithShanghaiOffset()
        => Assert.Equal("2022-12-15T13:29:35.120+08:00", ShippingUploader.UploadTime(new DateTimeOffset(2022, 12, 15, 5, 29, 35, 120, TimeSpan.Zero)));
}
