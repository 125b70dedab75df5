using FluentValidation;
using WeStore.Application.Attribution;
using WeStore.Domain.Attribution;
using WeStore.Domain.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Attribution;

/// <summary>
/// <c>POST /api/manage/qrcodes</c>. <c>scene</c> is optional (a short random one is made); <c>page</c> is a Mini
/// Program page path without a leading '/' or a query; <c>checkPath</c> false allows pages not yet released.
/// </summary>
public sealed record CreateQrCodeRequest(
    string? Scene, string? Name, string? Channel, string? Source, string? Page, string? CouponCampaignId, string? StaffId,
    bool? CheckPath, string? EnvVersion, int? Width)
{
    public CreateQrCodeCommand ToCommand() => new(
        Scene, Name!, Channel!, Source ?? string.Empty, Page!, CouponCampaignId, StaffId, CheckPath ?? true, EnvVersion, Width ?? 430);
}

public sealed class CreateQrCodeRequestValidator : AbstractValidator<CreateQrCodeRequest>
{
    private static readonly string[] EnvVersions = ["release", "trial", "develop"];

    public CreateQrCodeRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Scene).Must(SceneRules.IsValid).When(r => r.Scene is not null)
            .WithMessage($"scene holds 1-{SceneRules.MaxLength} characters: letters, digits and {SceneRules.Symbols}")
            .Must(s => !WeStore.Domain.Referrals.ReferralCodes.IsReserved(s)).WithMessage($"scenes starting {WeStore.Domain.Referrals.ReferralCodes.Prefix} are members' share scenes.");
        RuleFor(r => r.Name).RequiredPrintable(60);
        RuleFor(r => r.Channel).NotEmpty().Must(Channels.IsValid).WithMessage("channel is one of " + string.Join(", ", Channels.All) + ".");
        RuleFor(r => r.Source).Printable(100);
        RuleFor(r => r.Page).NotEmpty().MaximumLength(200)
            .Must(p => p!.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.') && !p.StartsWith('/') && !p.EndsWith('/') && !p.Contains("..", StringComparison.Ordinal))
            .WithMessage("page is a page path such as pages/index/index: no leading '/', no query string.");
        RuleFor(r => r.CouponCampaignId).Must(CatalogRules.IsValidId).When(r => r.CouponCampaignId is not null)
            .WithMessage("couponCampaignId may hold only letters, digits, '-' and '_' (at most 64).");
        RuleFor(r => r.StaffId).Must(CatalogRules.IsValidId).When(r => r.StaffId is not null)
            .WithMessage("staffId may hold only letters, digits, '-' and '_' (at most 64).");
        RuleFor(r => r.StaffId).NotEmpty().When(r => r.Channel == "staff").WithMessage("A staff code needs its staffId.");
        RuleFor(r => r.EnvVersion).Must(v => EnvVersions.Contains(v)).When(r => r.EnvVersion is not null).WithMessage("envVersion is release, trial or develop.");
        RuleFor(r => r.Width).InclusiveBetween(280, 1280).When(r => r.Width is not null);
    }
}

/// <summary>
/// <c>POST /api/scans</c>: <c>scene</c> as the page received it (URL-encoded by WeChat, or already decoded);
/// <c>entryScene</c> is the numeric launch scene (1047 scan, 1048 long-press, 1049 from the album, ...).
/// </summary>
public sealed record RecordScanRequest(string? Scene, int? EntryScene, string? Path);

public sealed class RecordScanRequestValidator : AbstractValidator<RecordScanRequest>
{
    /// <summary>A 32-character scene, every character percent-encoded, is 96 characters; anything longer is not a scene.</summary>
    public const int MaxSceneLength = 128;

    public RecordScanRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Scene).NotEmpty().MaximumLength(MaxSceneLength);
        RuleFor(r => r.EntryScene).NotNull().InclusiveBetween(1000, 9999).WithMessage("entryScene is WeChat's 4-digit launch scene, e.g. 1047.");
        RuleFor(r => r.Path).Printable(512);
    }
}
