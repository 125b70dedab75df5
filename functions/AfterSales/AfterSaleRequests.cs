using FluentValidation;
using WeStore.Application.AfterSales;
using WeStore.Domain.AfterSales;
using WeStore.Functions.Fulfilment;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>POST /api/orders/{orderNo}/after-sales</c>: a refund (lines, or an amount only) or a return (lines); amounts are fen.</summary>
public sealed record RequestAfterSaleRequest(
    string? Type, IReadOnlyList<AfterSaleLineRequest?>? Lines, long? Amount, string? Reason, string? Description, IReadOnlyList<string?>? ImageUrls)
{
    public AfterSaleCommand ToCommand() => new(
        Type == "return" ? AfterSaleType.Return : AfterSaleType.Refund,
        [.. (Lines ?? []).Select(l => new AfterSaleLine(l!.SkuId!, l.Quantity!.Value))], Amount, Reason!, Description, [.. (ImageUrls ?? []).Select(u => u!)]);
}

public sealed record AfterSaleLineRequest(string? SkuId, int? Quantity);

public sealed class RequestAfterSaleRequestValidator : AbstractValidator<RequestAfterSaleRequest>
{
    public const int MaxLines = 50;

    public RequestAfterSaleRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Type).NotEmpty().Must(t => t is "refund" or "return").WithMessage("type is refund or return.");
        RuleFor(r => r.Lines).NotEmpty().When(r => r.Type == "return").WithMessage("A return names the lines that come back.");
        RuleFor(r => r.Lines).Must(l => l is null || l.Count <= MaxLines).WithMessage($"At most {MaxLines} lines.");
        RuleFor(r => r.Lines)
            .Must(lines => lines is null || lines.Where(l => l?.SkuId is not null).GroupBy(l => l!.SkuId, StringComparer.Ordinal).All(g => g.Count() == 1))
            .WithMessage("Each SKU appears once.");
        RuleForEach(r => r.Lines).NotNull().ChildRules(line =>
        {
            line.RuleFor(l => l!.SkuId).Id();
            line.RuleFor(l => l!.Quantity).NotNull().InclusiveBetween(1, ShipmentRules.MaxQuantity);
        });
        RuleFor(r => r.Amount).InclusiveBetween(1, WeStore.Domain.Catalog.CatalogRules.MaxPrice * 99 * 50).When(r => r.Amount is not null);
        RuleFor(r => r).Must(r => r.Amount is not null || r.Lines is { Count: > 0 }).WithName("amount").WithMessage("A refund names its lines, its amount, or both.");
        RuleFor(r => r.Reason).RequiredPrintable(80);
        RuleFor(r => r.Description).Printable(500);
        RuleFor(r => r.ImageUrls).Must(u => u is null || u.Count <= AfterSale.MaxImages).WithMessage($"At most {AfterSale.MaxImages} images.");
        RuleForEach(r => r.ImageUrls).NotEmpty().HttpUrl().Must(u => u is null || u.StartsWith("https://", StringComparison.Ordinal)).WithMessage("Images are https URLs.");
    }
}

/// <summary><c>POST /api/after-sales/{id}/return-shipment</c>: the carrier (a get_delivery_list id) and tracking number of the goods sent back.</summary>
public sealed record ReturnShipmentRequest(string? ExpressCompany, string? TrackingNo);

public sealed class ReturnShipmentRequestValidator : AbstractValidator<ReturnShipmentRequest>
{
    public ReturnShipmentRequestValidator()
    {
        RuleFor(r => r.ExpressCompany).NotEmpty().Must(ShipmentRules.IsCompanyId).WithMessage("expressCompany is a carrier's delivery_id (YTO, ZTO, SF, ...).");
        RuleFor(r => r.TrackingNo).NotEmpty().Must(ShipmentRules.IsTrackingNo).WithMessage("trackingNo is 1 to 128 letters, digits or '-'.");
    }
}

/// <summary><c>POST /api/manage/after-sales/{id}/approve</c>: at most the amount asked (fen); a return needs the address it goes back to.</summary>
public sealed record ApproveAfterSaleRequest(long? Amount, string? ReturnAddress);

public sealed class ApproveAfterSaleRequestValidator : AbstractValidator<ApproveAfterSaleRequest>
{
    public ApproveAfterSaleRequestValidator()
    {
        RuleFor(r => r.Amount).InclusiveBetween(1, WeStore.Domain.Catalog.CatalogRules.MaxPrice * 99 * 50).When(r => r.Amount is not null);
        RuleFor(r => r.ReturnAddress).Printable(200).NotEmpty().When(r => r.ReturnAddress is not null);
    }
}

public sealed record RejectAfterSaleRequest(string? Reason);

public sealed class RejectAfterSaleRequestValidator : AbstractValidator<RejectAfterSaleRequest>
{
    public RejectAfterSaleRequestValidator() => RuleFor(r => r.Reason).RequiredPrintable(200);
}

/// <summary><c>POST /api/manage/after-sales/{id}/receive</c>: whether the goods go back on sale.</summary>
public sealed record ReceiveReturnRequest(bool? Restock);

public sealed class ReceiveReturnRequestValidator : AbstractValidator<ReceiveReturnRequest>
{
    public ReceiveReturnRequestValidator() => RuleFor(r => r.Restock).NotNull().WithMessage("restock is true or false.");
}

/// <summary>
/// <c>POST /api/manage/after-sales/{id}/retry-refund</c>: for an ABNORMAL refund, where WeChat Pay pays it out again
/// (<c>MERCHANT_BANK_CARD</c>: to the merchant's account, for a hand-over; <c>USER_BANK_CARD</c>: to the buyer's
/// debit card, with its bank, account and name); a CLOSED refund needs nothing.
/// </summary>
public sealed record RetryRefundRequest(string? Type, string? BankType, string? BankAccount, string? RealName)
{
    public AbnormalRefundTarget ToTarget() => new(Type ?? "MERCHANT_BANK_CARD", BankType, BankAccount, RealName);
}

public sealed class RetryRefundRequestValidator : AbstractValidator<RetryRefundRequest>
{
    public RetryRefundRequestValidator()
    {
        RuleFor(r => r.Type).Must(t => t is null or "USER_BANK_CARD" or "MERCHANT_BANK_CARD").WithMessage("type is USER_BANK_CARD or MERCHANT_BANK_CARD.");
        When(r => r.Type == "USER_BANK_CARD", () =>
        {
            RuleFor(r => r.BankType).NotEmpty().Matches("^[A-Z_]{2,32}$").WithMessage("bankType is WeChat Pay's bank code, e.g. ICBC_DEBIT.");
            RuleFor(r => r.BankAccount).NotEmpty().Matches("^[0-9]{12,24}$").WithMessage("bankAccount is 12 to 24 digits.");
            RuleFor(r => r.RealName).RequiredPrintable(50);
        });
        When(r => r.Type != "USER_BANK_CARD", () =>
        {
            RuleFor(r => r.BankType).Null().WithMessage("Only USER_BANK_CARD names a bank.");
            RuleFor(r => r.BankAccount).Null().WithMessage("Only USER_BANK_CARD names an account.");
            RuleFor(r => r.RealName).Null().WithMessage("Only USER_BANK_CARD names a person.");
        });
    }
}
