using FluentValidation;
using WeStore.Application.Fulfilment;
using WeStore.Domain.Orders;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Fulfilment;

/// <summary>
/// <c>POST /api/manage/orders/{orderNo}/shipments</c>: one logistics type for the order; packages, each with its
/// carrier (a WeChat <c>delivery_id</c>) and tracking number for express, and the SKUs and quantities it holds.
/// </summary>
public sealed record ShipOrderRequest(string? LogisticsType, IReadOnlyList<ShipPackageRequest?>? Packages)
{
    public ShipCommand ToCommand() => new(
        ShipmentRules.ParseLogistics(LogisticsType)!.Value,
        [.. Packages!.Select(p => new NewPackage(p!.ExpressCompany, p.TrackingNo, [.. p.Items!.Select(i => new PackageItem(i!.SkuId!, i.Quantity!.Value))]))]);
}

public sealed record ShipPackageRequest(string? ExpressCompany, string? TrackingNo, IReadOnlyList<ShipItemRequest?>? Items);

public sealed record ShipItemRequest(string? SkuId, int? Quantity);

/// <summary>The field rules WeChat's upload_shipping_info sets, shared by the JSON route and the CSV import.</summary>
public static class ShipmentRules
{
    public const int MaxItemsPerPackage = 50;
    public const int MaxQuantity = 9999;

    /// <summary>WeChat allows 1-128 bytes; carriers' numbers are letters, digits and '-'.</summary>
    public static bool IsTrackingNo(string? value) => value is { Length: >= 1 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>A get_delivery_list <c>delivery_id</c> (YTO, ZTO, SF, ...): whether WeChat knows it is checked by the service.</summary>
    public static bool IsCompanyId(string? value) => value is { Length: >= 1 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    public static LogisticsType? ParseLogistics(string? value) => value switch
    {
        "express" => WeStore.Domain.Orders.LogisticsType.Express,
        "localDelivery" => WeStore.Domain.Orders.LogisticsType.LocalDelivery,
        "virtual" => WeStore.Domain.Orders.LogisticsType.Virtual,
        "pickup" => WeStore.Domain.Orders.LogisticsType.Pickup,
        _ => null,
    };
}

public sealed class ShipOrderRequestValidator : AbstractValidator<ShipOrderRequest>
{
    public ShipOrderRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.LogisticsType).NotEmpty().Must(t => ShipmentRules.ParseLogistics(t) is not null)
            .WithMessage("logisticsType is one of express, localDelivery, virtual, pickup.");
        RuleFor(r => r.Packages).NotEmpty().Must(p => p is null || p.Count <= OrderFulfilment.MaxPackages)
            .WithMessage($"A shipment holds 1 to {OrderFulfilment.MaxPackages} packages (WeChat's limit per payment).");
        RuleFor(r => r.Packages).Must(p => p is null || p.Count == 1).When(r => r.LogisticsType is not null && r.LogisticsType != "express")
            .WithMessage("Only express ships in several packages.");
        RuleForEach(r => r.Packages).NotNull().ChildRules(package =>
        {
            package.RuleFor(p => p!.Items).NotEmpty().Must(i => i is null || i.Count <= ShipmentRules.MaxItemsPerPackage)
                .WithMessage($"A package holds 1 to {ShipmentRules.MaxItemsPerPackage} SKUs.");
            package.RuleFor(p => p!.Items)
                .Must(items => items is null || items.Where(i => i?.SkuId is not null).GroupBy(i => i!.SkuId, StringComparer.Ordinal).All(g => g.Count() == 1))
                .WithMessage("Each SKU appears once per package.");
            package.RuleForEach(p => p!.Items!).NotNull().ChildRules(item =>
            {
                item.RuleFor(i => i!.SkuId).Id();
                item.RuleFor(i => i!.Quantity).NotNull().InclusiveBetween(1, ShipmentRules.MaxQuantity);
            });
        });
        When(r => r.LogisticsType == "express", () => RuleForEach(r => r.Packages).ChildRules(package =>
        {
            package.RuleFor(p => p!.ExpressCompany).NotEmpty().Must(ShipmentRules.IsCompanyId)
                .WithMessage("expressCompany is a carrier's delivery_id from WeChat's get_delivery_list (YTO, ZTO, SF, ...).");
            package.RuleFor(p => p!.TrackingNo).NotEmpty().Must(ShipmentRules.IsTrackingNo)
                .WithMessage("trackingNo is 1 to 128 letters, digits or '-'.");
        }));
        When(r => r.LogisticsType is not null && r.LogisticsType != "express", () => RuleForEach(r => r.Packages).ChildRules(package =>
        {
            package.RuleFor(p => p!.ExpressCompany).Null().WithMessage("Only express packages have a carrier.");
            package.RuleFor(p => p!.TrackingNo).Null().WithMessage("Only express packages have a tracking number.");
        }));
    }
}

/// <summary>
/// <c>POST /api/orders/{orderNo}/confirm-receipt</c>: what the Mini Program's confirm-receipt page
/// (<c>wx.openBusinessView</c>, businessType <c>weappOrderConfirm</c>) returned through <c>App.onShow</c>. Only a
/// hint: WeChat is asked whether it holds the receipt.
/// </summary>
public sealed record ConfirmReceiptRequest(string? Status, string? ErrorMessage);

public sealed class ConfirmReceiptRequestValidator : AbstractValidator<ConfirmReceiptRequest>
{
    public ConfirmReceiptRequestValidator()
    {
        RuleFor(r => r.Status).NotEmpty().Must(s => s is "success" or "fail" or "cancel").WithMessage("status is success, fail or cancel, as the component answered.");
        RuleFor(r => r.ErrorMessage).Printable(200);
    }
}
