using FluentValidation.TestHelper;
using WeStore.Functions.Catalog;
using WeStore.Functions.Orders;

namespace WeStore.UnitTests.Functions.Orders;

public sealed class OrderRequestValidatorTests
{
    private static AddressRequest Address() => new("张三", "13800138000", "广东省", "广州市", "海珠区", "新港中路397号", "510000");

    private static PlaceOrderRequest Request(params PlaceOrderItemRequest[] items) => new(items, null, Address(), null);

    [Fact]
    public void PlaceOrder_Valid_NoErrors()
        => new PlaceOrderRequestValidator().TestValidate(Request(new PlaceOrderItemRequest("sku1", 1), new PlaceOrderItemRequest("sku2", 99))).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100)]
    public void PlaceOrder_QuantityOutOfRange_Error(int quantity)
        => Assert.False(new PlaceOrderRequestValidator().TestValidate(Request(new PlaceOrderItemRequest("sku1", quantity))).IsValid);

    [Fact]
    public void PlaceOrder_DuplicateSku_Error()
        => new PlaceOrderRequestValidator().TestValidate(Request(new PlaceOrderItemRequest("sku1", 1), new PlaceOrderItemRequest("sku1", 2))).ShouldHaveValidationErrorFor(r => r.Items);

    [Fact]
    public void PlaceOrder_51Lines_Error()
        => new PlaceOrderRequestValidator().TestValidate(Request(Enumerable.Range(0, 51).Select(i => new PlaceOrderItemRequest("s" + i, 1)).ToArray()))
            .ShouldHaveValidationErrorFor(r => r.Items);

    [Fact]
    public void PlaceOrder_MissingAddressOrLongRemark_Error()
    {
        var validator = new PlaceOrderRequestValidator();
        validator.TestValidate(new PlaceOrderRequest([new("s", 1)], null, null, null)).ShouldHaveValidationErrorFor(r => r.Address);
        validator.TestValidate(new PlaceOrderRequest([new("s", 1)], null, Address(), new string('x', 201))).ShouldHaveValidationErrorFor(r => r.Remark);
        Assert.False(validator.TestValidate(new PlaceOrderRequest([new("s", 1)], null, Address() with { TelNumber = "138<script>" }, null)).IsValid);
        Assert.False(validator.TestValidate(new PlaceOrderRequest([new("s", 1)], null, Address() with { DetailInfo = "" }, null)).IsValid);
    }

    [Fact]
    public void ImportCatalog_Valid_NoErrors()
        => new ImportCatalogRequestValidator().TestValidate(new ImportCatalogRequest(
            [new ImportProductRequest("p1", "name", null, "https://cdn.example/a.png", true, [new ImportSkuRequest("s1", "n", 100, 5, true, null, 2)])]))
            .ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void ImportCatalog_SkuInTwoProducts_Error()
        => new ImportCatalogRequestValidator().TestValidate(new ImportCatalogRequest(
            [
                new ImportProductRequest("p1", "n", null, null, true, [new ImportSkuRequest("s1", "n", 100, 5, true, null, null)]),
                new ImportProductRequest("p2", "n", null, null, true, [new ImportSkuRequest("s1", "n", 100, 5, true, null, null)]),
            ])).ShouldHaveValidationErrorFor(r => r.Products);
}
