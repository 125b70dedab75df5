using FluentValidation;
using WeStore.Application.WeCom;
using WeStore.Domain.Attribution;
using WeStore.Domain.Catalog;
using WeStore.Domain.WeCom;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.WeCom;

/// <summary>
/// <c>POST /api/manage/contact-ways</c>: a 「联系我」 code for one channel and its staff (WeCom userids, 1 to 100). The
/// welcome's text is sent to every contact added through it; with a title and page it carries the Mini Program card.
/// </summary>
public sealed record CreateContactWayRequest(
    string? Name, string? Channel, IReadOnlyList<string?>? StaffUserIds, string? CouponCampaignId, WelcomeRequest? Welcome, bool? SkipVerify)
{
    public CreateContactWayCommand ToCommand(string? idempotencyKey) => new(
        Name!, Channel!, [.. StaffUserIds!.Select(s => s!)], CouponCampaignId,
        new WelcomeMessage(Welcome!.Text!, Welcome.MiniProgramTitle, Welcome.MiniProgramPage), SkipVerify ?? true, idempotencyKey);
}

public sealed record WelcomeRequest(string? Text, string? MiniProgramTitle, string? MiniProgramPage);

public sealed class CreateContactWayRequestValidator : AbstractValidator<CreateContactWayRequest>
{
    /// <summary>WeCom's limits: text ≤4000 bytes, a card title ≤64 bytes (https://developer.work.weixin.qq.com/document/path/92137).</summary>
    public const int MaxTextBytes = 4000;
    public const int MaxTitleBytes = 64;

    public CreateContactWayRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Name).RequiredPrintable(60);
        RuleFor(r => r.Channel).NotEmpty().Must(Channels.IsValid).WithMessage("channel is one of " + string.Join(", ", Channels.All) + ".");
        RuleFor(r => r.StaffUserIds).NotEmpty().Must(s => s!.Count <= ContactWay.MaxStaff).WithMessage($"staffUserIds holds 1 to {ContactWay.MaxStaff} WeCom userids.")
            .Must(s => s!.All(ContactWayRules.IsValidUserId)).WithMessage("A staff userid holds letters, digits and _-@. (at most 64).")
            .Must(s => s!.Distinct(StringComparer.Ordinal).Count() == s!.Count).WithMessage("staffUserIds must not repeat.");
        RuleFor(r => r.CouponCampaignId).Must(CatalogRules.IsValidId).When(r => r.CouponCampaignId is not null)
            .WithMessage("couponCampaignId may hold only letters, digits, '-' and '_' (at most 64).");
        RuleFor(r => r.Welcome).NotNull().WithMessage("welcome is required: {text, miniProgramTitle?, miniProgramPage?}.");
        RuleFor(r => r.Welcome!.Text).NotEmpty().Must(t => System.Text.Encoding.UTF8.GetByteCount(t!) <= MaxTextBytes).WithMessage($"welcome.text is 1 to {MaxTextBytes} UTF-8 bytes.")
            .Must(t => t!.All(c => !char.IsControl(c) || c is '\n')).WithMessage("welcome.text may hold line breaks but no other control characters.")
            .When(r => r.Welcome is not null).OverridePropertyName("welcome.text");
        RuleFor(r => r.Welcome!.MiniProgramTitle).Must(t => System.Text.Encoding.UTF8.GetByteCount(t!) <= MaxTitleBytes && TextRules.IsPrintable(t))
            .WithMessage($"welcome.miniProgramTitle is at most {MaxTitleBytes} UTF-8 bytes of printable text.")
            .When(r => r.Welcome?.MiniProgramTitle is not null).OverridePropertyName("welcome.miniProgramTitle");
        RuleFor(r => r.Welcome!.MiniProgramPage).NotEmpty().MaximumLength(200)
            .Must(p => p!.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '?' or '=' or '&') && !p.StartsWith('/') && !p.Contains("..", StringComparison.Ordinal))
            .WithMessage("welcome.miniProgramPage is a page path such as pages/index/index (an optional query after '?').")
            .When(r => r.Welcome?.MiniProgramPage is not null).OverridePropertyName("welcome.miniProgramPage");
        RuleFor(r => r.Welcome).Must(w => (w!.MiniProgramTitle is null) == (w.MiniProgramPage is null))
            .WithMessage("The Mini Program card needs both welcome.miniProgramTitle and welcome.miniProgramPage.").When(r => r.Welcome is not null);
    }
}
