using FluentValidation;
using Microsoft.AspNetCore.Http;
using WeStore.Application.Orders;
using WeStore.Domain.Catalog;
using WeStore.Domain.Orders;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Orders;

/// <summary>
/// <c>POST /api/orders</c>. Only SKUs and quantities are read from the items: any price the client sends is ignored.
/// </summary>
public sealed record PlaceOrderRequest(IReadOnlyList<PlaceOrderItemRequest>? Items, string? CouponId, AddressRequest? Address, string? Remark, long? PointsToUse = null)
{
    public PlaceOrderCommand ToCommand() => new(
        Items!.Select(i => new PlaceOrderItem(i!.SkuId!, i.Quantity!.Value)).ToList(),
        CouponId,
        Address!.ToAddress(),
        Remark,
        PointsToUse ?? 0);
}

public sealed record PlaceOrderItemRequest(string? SkuId, int? Quantity);

/// <summary>The object <c>wx.chooseAddress</c> returns.</summary>
public sealed record AddressRequest(
    string? UserName, string? TelNumber, string? ProvinceName, string? CityName, string? CountyName, string? DetailInfo, string? PostalCode)
{
    public ShippingAddress ToAddress() => new(UserName!, TelNumber!, ProvinceName!, CityName!, CountyName!, DetailInfo!, PostalCode);
}

public sealed class PlaceOrderRequestValidator : AbstractValidator<PlaceOrderRequest>
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 99;

    public PlaceOrderRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Items).NotEmpty().Must(i => i is null || i.Count <= MaxLines).WithMessage($"An order holds 1 to {MaxLines} lines.");
        RuleFor(r => r.Items)
            .Must(items => items is null || items.Where(i => i?.SkuId is not null).GroupBy(i => i!.SkuId, StringComparer.Ordinal).All(g => g.Count() == 1))
            .WithMessage("Each SKU may appear once; put the total in its quantity.");
        RuleForEach(r => r.Items).NotNull().ChildRules(item =>
        {
            item.RuleFor(i => i.SkuId).Id();
            item.RuleFor(i => i.Quantity).NotNull().InclusiveBetween(1, MaxQuantity);
        });
        RuleFor(r => r.CouponId).Must(CatalogRules.IsValidId).When(r => r.CouponId is not null).WithMessage("couponId is not a valid id.");
        RuleFor(r => r.Remark).Printable(200);
        RuleFor(r => r.PointsToUse).InclusiveBetween(1, 100_000_000).When(r => r.PointsToUse is not null)
            .WithMessage("pointsToUse is a whole number of points, at least 1 (leave it out to use none).");
        RuleFor(r => r.Address!).NotNull().SetValidator(new AddressRequestValidator());
    }
}

/// <summary>The address of an order, a team's opening or a join: what <c>wx.chooseAddress</c> gives, bounded.</summary>
public sealed class AddressRequestValidator : AbstractValidator<AddressRequest>
{
    public AddressRequestValidator()
    {
        RuleFor(a => a.UserName).RequiredPrintable(50);
        RuleFor(a => a.TelNumber).NotEmpty().MaximumLength(30)
            .Matches(@"^[0-9+\- ()]+$").WithMessage("telNumber may hold digits, spaces and + - ( ) only.");
        RuleFor(a => a.ProvinceName).RequiredPrintable(50);
        RuleFor(a => a.CityName).RequiredPrintable(50);
        RuleFor(a => a.CountyName).RequiredPrintable(50);
        RuleFor(a => a.DetailInfo).RequiredPrintable(200);
        RuleFor(a => a.PostalCode).Printable(10);
    }
}

public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 64;

    /// <summary>The Idempotency-Key header: required, 1-64 visible ASCII characters.</summary>
    public static string? Read(HttpRequest request)
    {
        var values = request.Headers[Header];
        if (values.Count != 1) return null;
        var key = values[0];
        return key is { Length: > 0 and <= MaxLength } && key.All(c => c is > ' ' and <= '~') ? key : null;
    }
}
