using FluentValidation.TestHelper;
using WeStore.Functions.Fulfilment;

namespace WeStore.UnitTests.Functions.Fulfilment;

public sealed class ShipOrderRequestValidatorTests
{
    private static readonly ShipOrderRequestValidator Validator = new();

    private static ShipPackageRequest Package(string? company = "YTO", string? tracking = "YT1234567890", params ShipItemRequest?[] items)
        => new(company, tracking, items.Length == 0 ? [new ShipItemRequest("sku-1", 1)] : items);

    [Fact]
    public void Ship_Express_Valid() => Validator.TestValidate(new ShipOrderRequest("express", [Package()])).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Ship_SplitExpress15Packages_Valid()
        => Validator.TestValidate(new ShipOrderRequest("express", [.. Enumerable.Range(1, 15).Select(i => Package(tracking: "T" + i))])).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Ship_Virtual_NoCarrier_Valid()
        => Validator.TestValidate(new ShipOrderRequest("virtual", [new ShipPackageRequest(null, null, [new ShipItemRequest("sku-1", 1)])])).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("EXPRESS")]
    [InlineData("1")]
    [InlineData("drone")]
    public void Ship_LogisticsTypeUnknown_Refused(string? type) => Validator.TestValidate(new ShipOrderRequest(type, [Package()])).ShouldHaveValidationErrorFor(r => r.LogisticsType);

    [Fact]
    public void Ship_16Packages_Refused()
        => Validator.TestValidate(new ShipOrderRequest("express", [.. Enumerable.Range(1, 16).Select(i => Package(tracking: "T" + i))])).ShouldHaveValidationErrorFor(r => r.Packages);

    [Fact]
    public void Ship_NoPackages_Refused() => Validator.TestValidate(new ShipOrderRequest("express", [])).ShouldHaveValidationErrorFor(r => r.Packages);

    [Fact]
    public void Ship_PickupInTwoPackages_Refused()
        => Validator.TestValidate(new ShipOrderRequest("pickup", [new ShipPackageRequest(null, null, [new ShipItemRequest("a", 1)]), new ShipPackageRequest(null, null, [new ShipItemRequest("b", 1)])]))
            .ShouldHaveValidationErrorFor(r => r.Packages);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("YT 123")]
    [InlineData("YT123<script>")]
    public void Ship_ExpressTrackingNoMissingOrHostile_Refused(string? tracking)
        => Assert.False(Validator.Validate(new ShipOrderRequest("express", [Package(tracking: tracking)])).IsValid);

    [Fact]
    public void Ship_TrackingNoOver128_Refused() => Assert.False(Validator.Validate(new ShipOrderRequest("express", [Package(tracking: new string('1', 129))])).IsValid);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("顺丰")]
    [InlineData("SF/../x")]
    public void Ship_ExpressCompanyMissingOrHostile_Refused(string? company) => Assert.False(Validator.Validate(new ShipOrderRequest("express", [Package(company: company)])).IsValid);

    [Fact]
    public void Ship_VirtualWithTrackingNo_Refused()
        => Assert.False(Validator.Validate(new ShipOrderRequest("virtual", [new ShipPackageRequest(null, "T1", [new ShipItemRequest("a", 1)])])).IsValid);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10000)]
    public void Ship_QuantityOutOfRange_Refused(int quantity) => Assert.False(Validator.Validate(new ShipOrderRequest("express", [Package(items: new ShipItemRequest("a", quantity))])).IsValid);

    [Fact]
    public void Ship_SameSkuTwiceInAPackage_Refused()
        => Assert.False(Validator.Validate(new ShipOrderRequest("express", [Package(items: [new ShipItemRequest("a", 1), new ShipItemRequest("a", 1)])])).IsValid);

    [Fact]
    public void Ship_NullPackageOrItem_Refused()
    {
        Assert.False(Validator.Validate(new ShipOrderRequest("express", [null])).IsValid);
        Assert.False(Validator.Validate(new ShipOrderRequest("express", [Package(items: [null])])).IsValid);
    }

    [Fact]
    public void Ship_EmptyPackage_Refused() => Assert.False(Validator.Validate(new ShipOrderRequest("express", [new ShipPackageRequest("YTO", "T1", [])])).IsValid);
}

public sealed class ConfirmReceiptRequestValidatorTests
{
    private static readonly ConfirmReceiptRequestValidator Validator = new();

    [Theory]
    [InlineData("success")]
    [InlineData("fail")]
    [InlineData("cancel")]
    public void Confirm_ComponentStatus_Valid(string status) => Validator.TestValidate(new ConfirmReceiptRequest(status, null)).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("SUCCESS")]
    [InlineData("ok")]
    public void Confirm_StatusUnknown_Refused(string? status) => Validator.TestValidate(new ConfirmReceiptRequest(status, null)).ShouldHaveValidationErrorFor(r => r.Status);

    [Fact]
    public void Confirm_ErrorMessageHostile_Refused() => Validator.TestValidate(new ConfirmReceiptRequest("fail", "a\u0000b")).ShouldHaveValidationErrorFor(r => r.ErrorMessage);
}
