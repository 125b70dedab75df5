using FluentValidation;
using WeStore.Application.OfficialAccount;
using WeStore.Domain.Attribution;
using WeStore.Domain.Catalog;
using WeStore.Domain.OfficialAccount;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.OfficialAccount;

/// <summary>
/// <c>POST /api/manage/follow-codes</c>: a follow code for one channel. Temporary by default, for <c>expireSeconds</c>
/// (60 to 2,592,000; 30 days when left out); <c>permanent</c> codes never expire and the account has 100,000.
/// </summary>
public sealed record CreateFollowCodeRequest(string? Name, string? Channel, bool? Permanent, int? ExpireSeconds, string? CouponCampaignId)
{
    public CreateFollowCodeCommand ToCommand() => new(Name!, Channel!, Permanent ?? false, ExpireSeconds, CouponCampaignId);
}

public sealed class CreateFollowCodeRequestValidator : AbstractValidator<CreateFollowCodeRequest>
{
    public CreateFollowCodeRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Name).RequiredPrintable(60);
        RuleFor(r => r.Channel).NotEmpty().Must(Channels.IsValid).WithMessage("channel is one of " + string.Join(", ", Channels.All) + ".");
        RuleFor(r => r.ExpireSeconds).InclusiveBetween(FollowCodeRules.MinExpireSeconds, FollowCodeRules.MaxExpireSeconds).When(r => r.ExpireSeconds is not null)
            .WithMessage($"expireSeconds is {FollowCodeRules.MinExpireSeconds} to {FollowCodeRules.MaxExpireSeconds} (30 days).");
        RuleFor(r => r.ExpireSeconds).Null().When(r => r.Permanent == true).WithMessage("A permanent code has no expireSeconds.");
        RuleFor(r => r.CouponCampaignId).Must(CatalogRules.IsValidId).When(r => r.CouponCampaignId is not null)
            .WithMessage("couponCampaignId may hold only letters, digits, '-' and '_' (at most 64).");
    }
}
