using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Domain.Common;
using WeStore.Domain.OfficialAccount;
using WeStore.WeChat;
using WeStore.WeChat.OfficialAccount;

namespace WeStore.Application.OfficialAccount;

public sealed record CreateFollowCodeCommand(string Name, string Channel, bool Permanent, int? ExpireSeconds, string? CouponCampaignId);

public sealed record FollowCodeView(
    string SceneStr, string Name, string Channel, bool Permanent, string? CouponCampaignId, string Ticket, string Url, string ImageUrl, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>
/// Parametric follow codes (<c>qrcode/create</c>): <c>QR_LIMIT_STR_SCENE</c> when permanent (the account's 100,000 are
/// counted here, reserved before WeChat is asked and given back when it refuses), else <c>QR_STR_SCENE</c> for up to
/// 30 days (the default, since WeChat's own default of 60 s suits no poster). The scene_str is "fc" and 12 characters.
/// </summary>
public sealed class FollowCodeService(
    IFollowCodeRepository codes, OfficialAccountApiClient api, CampaignAdministration campaigns, TimeProvider time, ILogger<FollowCodeService> logger)
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string NewScene() => "fc" + RandomNumberGenerator.GetString(Alphabet, 12);

    public async Task<Result<FollowCodeView>> CreateAsync(CreateFollowCodeCommand command, CancellationToken cancellationToken)
    {
        if (!api.Options.Configured) return Error.Unavailable("official_account_not_configured", "The Official Account is not configured (OfficialAccount:AppId, AppSecret).", TimeSpan.FromMinutes(5));
        if (command.CouponCampaignId is { } campaignId)
        {
            var campaign = await campaigns.GetAsync(campaignId, cancellationToken);
            if (!campaign.IsSuccess) return Error.Invalid("campaign_not_found", "couponCampaignId names no campaign.");
            if (campaign.Value!.IssueOn != "scan") return Error.Invalid("campaign_not_automatic", "couponCampaignId must name a campaign issued by a channel (issueOn: scan).");
        }

        if (command.Permanent && !await codes.TryReservePermanentAsync(api.Options.MaxPermanentCodes, cancellationToken))
        {
            return Error.Conflict("permanent_codes_exhausted", $"The account's {api.Options.MaxPermanentCodes} permanent follow codes are all made; make a temporary one.");
        }

        var scene = NewScene();
        CgiBinQrcodeCreateResponse created;
        try
        {
            created = await api.CreateQrCodeAsync(CgiBinQrcodeCreateRequest.For(scene, command.Permanent, command.Permanent ? null : command.ExpireSeconds ?? FollowCodeRules.MaxExpireSeconds), cancellationToken);
        }
        catch (Exception e) when (e is WeChatApiException or WeChatUnavailableException)
        {
            if (command.Permanent) await codes.ReleasePermanentAsync(cancellationToken);
            logger.LogWarning("qrcode/create refused a follow code: {Reason}", e.Message);
            return e is WeChatApiException api2
                ? Error.Unavailable("wechat_error", $"WeChat refused the code (errcode {api2.ErrorCode}).", TimeSpan.FromSeconds(5))
                : Error.Unavailable("wechat_unavailable", "WeChat could not be reached; try again shortly.", TimeSpan.FromSeconds(5));
        }

        if (string.IsNullOrEmpty(created.Ticket)) return Error.Unavailable("wechat_error", "WeChat answered without a ticket.", TimeSpan.FromSeconds(5));
        var now = time.GetUtcNow();
        var code = FollowCode.Create(scene, command.Name, command.Channel, command.Permanent, command.CouponCampaignId, created.Ticket, created.Url ?? string.Empty, now,
            command.Permanent ? null : now.AddSeconds(created.ExpireSeconds ?? command.ExpireSeconds ?? FollowCodeRules.MaxExpireSeconds));
        if (!await codes.TryCreateAsync(code, cancellationToken)) return Error.Conflict("scene_taken", "The scene is taken; try again.");
        logger.LogInformation("Follow code {Scene} created for channel {Channel}", scene, code.Channel);
        return View(code);
    }

    public async Task<IReadOnlyList<FollowCodeView>> ListAsync(CancellationToken cancellationToken)
        => [.. (await codes.ListAsync(cancellationToken)).OrderBy(c => c.CreatedAt).Select(View)];

    private FollowCodeView View(FollowCode c) => new(c.SceneStr, c.Name, c.Channel, c.Permanent, c.CouponCampaignId, c.Ticket, c.Url, api.ImageUrl(c.Ticket), c.CreatedAt, c.ExpiresAt);
}
