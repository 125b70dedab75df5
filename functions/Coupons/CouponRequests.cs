using FluentValidation;
using WeStore.Domain.Catalog;
using WeStore.Domain.Coupons;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>POST /api/manage/coupons/campaigns</c>. Amounts in fen; percentOff 1-99; scope empty means everything;
/// id is optional (operators may name campaigns, e.g. to point the welcome setting at one before it exists).</summary>
public sealed record CreateCampaignRequest(
    string? Id, string? Name, string? Type, long? AmountOff, int? PercentOff, long? MaxDiscount, long? MinSpend, CampaignScopeRequest? Scope,
    DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo, int? ValidDays, DateTimeOffset? ClaimFrom, DateTimeOffset? ClaimTo,
    int? TotalStock, int? PerMemberLimit, string? IssueOn)
{
    public CouponCampaign ToCampaign(string id, DateTimeOffset now) => CouponCampaign.Create(
        id, Name!,
        new CouponTerms(Enum.Parse<CouponType>(Type!, ignoreCase: true), AmountOff ?? 0, PercentOff ?? 0, MaxDiscount ?? 0, MinSpend ?? 0,
            Scope?.SkuIds ?? [], Scope?.ProductIds ?? []),
        ValidFrom, ValidTo, ValidDays, ClaimFrom, ClaimTo, TotalStock!.Value, PerMemberLimit!.Value,
        Enum.Parse<IssueOn>(IssueOn!, ignoreCase: true), now);
}

public sealed record CampaignScopeRequest(IReadOnlyList<string>? SkuIds, IReadOnlyList<string>? ProductIds);

public sealed class CreateCampaignRequestValidator : AbstractValidator<CreateCampaignRequest>
{
    private static readonly string[] Types = ["fixed", "percent", "threshold"];
    private static readonly string[] Issuers = ["claim", "welcome", "scan", "postPurchase", "code", "referral"];

    public CreateCampaignRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Id).Must(CatalogRules.IsValidId).When(r => r.Id is not null).WithMessage("id may hold only letters, digits, '-' and '_' (at most 64).");
        RuleFor(r => r.Id).Must(id => id is null || id != "index").WithMessage("id 'index' is reserved.");
        RuleFor(r => r.Name).RequiredPrintable(60);
        RuleFor(r => r.Type).NotEmpty().Must(t => Types.Contains(t)).WithMessage("type is fixed, percent or threshold.");
        RuleFor(r => r.IssueOn).NotEmpty().Must(i => Issuers.Contains(i)).WithMessage("issueOn is claim, welcome, scan, postPurchase, code or referral.");
        RuleFor(r => r.AmountOff).NotNull().InclusiveBetween(1, CatalogRules.MaxPrice).When(r => r.Type is "fixed" or "threshold");
        RuleFor(r => r.MinSpend).NotNull().GreaterThan(0).When(r => r.Type == "threshold")
            .WithMessage("A threshold coupon needs minSpend (spend X, get Y off).");
        RuleFor(r => r.MinSpend).InclusiveBetween(0, CatalogRules.MaxPrice * 100).When(r => r.MinSpend is not null);
        RuleFor(r => r).Must(r => r.MinSpend is null || r.AmountOff is null || r.Type != "threshold" || r.AmountOff < r.MinSpend)
            .WithName("amountOff").WithMessage("A threshold coupon's amountOff must be below its minSpend.");
        RuleFor(r => r.PercentOff).NotNull().InclusiveBetween(1, 99).When(r => r.Type == "percent");
        RuleFor(r => r.MaxDiscount).NotNull().InclusiveBetween(1, CatalogRules.MaxPrice).When(r => r.Type == "percent")
            .WithMessage("A percent coupon needs maxDiscount, its cap.");
        RuleFor(r => r.TotalStock).NotNull().InclusiveBetween(1, 10_000_000);
        RuleFor(r => r.PerMemberLimit).NotNull().InclusiveBetween(1, 100);
        RuleFor(r => r.ValidDays).InclusiveBetween(1, 3650).When(r => r.ValidDays is not null);
        RuleFor(r => r).Must(r => (r.ValidDays is null) != (r.ValidTo is null))
            .WithName("validTo").WithMessage("Give validity either as validFrom/validTo or as validDays, not both.");
        RuleFor(r => r).Must(r => r.ValidFrom is null || r.ValidTo is null || r.ValidFrom < r.ValidTo).WithName("validTo").WithMessage("validTo must be after validFrom.");
        RuleFor(r => r).Must(r => r.ClaimFrom is null || r.ClaimTo is null || r.ClaimFrom < r.ClaimTo).WithName("claimTo").WithMessage("claimTo must be after claimFrom.");
        RuleFor(r => r.Scope!.SkuIds).Must(ids => ids is null || (ids.Count <= 200 && ids.All(CatalogRules.IsValidId))).When(r => r.Scope is not null)
            .WithMessage("scope.skuIds holds at most 200 valid ids.");
        RuleFor(r => r.Scope!.ProductIds).Must(ids => ids is null || (ids.Count <= 200 && ids.All(CatalogRules.IsValidId))).When(r => r.Scope is not null)
            .WithMessage("scope.productIds holds at most 200 valid ids.");
    }
}

/// <summary><c>POST /api/manage/coupons/campaigns/{id}/codes</c>.</summary>
public sealed record GenerateCodesRequest(int? Count);

public sealed class GenerateCodesRequestValidator : AbstractValidator<GenerateCodesRequest>
{
    public GenerateCodesRequestValidator() => RuleFor(r => r.Count).NotNull().InclusiveBetween(1, 1000);
}

/// <summary><c>POST /api/coupons/redeem-code</c>.</summary>
public sealed record RedeemCodeRequest(string? Code);

public sealed class RedeemCodeRequestValidator : AbstractValidator<RedeemCodeRequest>
{
    public RedeemCodeRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Code).NotEmpty().MaximumLength(80)
            .Must(c => c!.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')).WithMessage("code holds letters, digits and '-' only.");
    }
}
