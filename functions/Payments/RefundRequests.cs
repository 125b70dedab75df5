using FluentValidation;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Payments;

/// <summary><c>POST /api/manage/orders/{orderNo}/refunds</c>: no amount refunds what is left; amounts are fen.</summary>
public sealed record RefundOrderRequest(long? Amount, string? Reason);

public sealed class RefundOrderRequestValidator : AbstractValidator<RefundOrderRequest>
{
    public RefundOrderRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Amount).InclusiveBetween(1, WeStore.Domain.Catalog.CatalogRules.MaxPrice * 99 * 50).When(r => r.Amount is not null);
        RuleFor(r => r.Reason).RequiredPrintable(80);
    }
}
