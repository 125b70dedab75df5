using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;

namespace WeStore.Application.Attribution;

public sealed record CreateQrCodeCommand(
    string? SceneId, string Name, string Channel, string Source, string Page, string? CouponCampaignId, string? StaffId,
    bool CheckPath, string? EnvVersion, int Width);

/// <summary>
/// Channel QR codes. Creating one fetches its image from <c>wxa/getwxacodeunlimit</c> first, so a code WeChat refuses
/// (bad page, bad scene, rate limit) is never stored; the image is kept, since a code never expires and WeChat
/// limits how fast codes can be fetched (45009: 5,000 a minute).
/// </summary>
public sealed class QrCodeService(IQrCodeRepository codes, WeChatApiClient wechat, CampaignAdministration coupons, TimeProvider time, ILogger<QrCodeService> logger)
{
    private const string SceneAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    /// <summary>A short, unguessable scene: "q" plus 9 characters (45 bits), well inside WeChat's 32.</summary>
    public static string NewSceneId() => "q" + RandomNumberGenerator.GetString(SceneAlphabet, 9);

    public async Task<Result<QrCodeView>> CreateAsync(CreateQrCodeCommand command, CancellationToken cancellationToken)
    {
        var sceneId = command.SceneId ?? NewSceneId();
        if (await codes.GetAsync(sceneId, cancellationToken) is not null)
        {
            return Error.Conflict("scene_taken", $"The scene {sceneId} is already used by another code.");
        }

        if (command.CouponCampaignId is { } campaignId)
        {
            var campaign = await coupons.GetAsync(campaignId, cancellationToken);
            if (!campaign.IsSuccess) return Error.Invalid("campaign_not_found", "couponCampaignId names no campaign.");
            if (campaign.Value!.IssueOn != "scan") return Error.Invalid("campaign_not_scan", "couponCampaignId must name a campaign issued on scan (issueOn: scan).");
        }

        WxaGetWxaCodeUnlimitResponse image;
        try
        {
            image = await wechat.GetUnlimitedQrCodeAsync(new WxaGetWxaCodeUnlimitRequest
            {
                Scene = sceneId, Page = command.Page, CheckPath = command.CheckPath, EnvVersion = command.EnvVersion, Width = command.Width,
            }, cancellationToken);
        }
        catch (WeChatApiException e)
        {
            logger.LogWarning("getwxacodeunlimit refused scene {SceneId}: {ErrorCode} {ErrorMessage}", sceneId, e.ErrorCode, e.ErrorMessage);
            return e.ErrorCode switch
            {
                WeChatErrorCodes.QrCodeRateLimited => Error.TooManyRequests("wechat_rate_limited", "WeChat's limit of 5,000 codes a minute was reached (45009); try again in a minute.", TimeSpan.FromSeconds(60)),
                WeChatErrorCodes.PageInvalid => Error.Invalid("page_invalid", "WeChat refused the page (41030): it must exist in the released version, or set checkPath to false."),
                WeChatErrorCodes.SceneInvalid or WeChatErrorCodes.SceneMissingOrTooLong => Error.Invalid("scene_invalid", $"WeChat refused the scene ({e.ErrorCode})."),
                _ => Error.Unavailable("wechat_error", $"WeChat refused the code ({e.ErrorCode}).", TimeSpan.FromSeconds(5)),
            };
        }
        catch (WeChatUnavailableException)
        {
            return Error.Unavailable("wechat_unavailable", "WeChat could not be reached; try again shortly.", TimeSpan.FromSeconds(5));
        }

        if (!image.ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || image.Image.Length == 0)
        {
            return Error.Unavailable("wechat_error", "WeChat answered without an image.", TimeSpan.FromSeconds(5));
        }

        var code = QrCode.Create(sceneId, command.Name, command.Channel, command.Source, command.Page, command.CouponCampaignId, command.StaffId, time.GetUtcNow());
        if (!await codes.TryCreateAsync(code, image.Image, cancellationToken))
        {
            return Error.Conflict("scene_taken", $"The scene {sceneId} is already used by another code.");
        }

        logger.LogInformation("QR code {SceneId} created for channel {Channel}", sceneId, code.Channel);
        return QrCodeView.From(code);
    }

    public async Task<IReadOnlyList<QrCodeView>> ListAsync(CancellationToken cancellationToken)
        => [.. (await codes.ListAsync(cancellationToken)).OrderBy(c => c.CreatedAt).Select(QrCodeView.From)];

    public async Task<Result<byte[]>> GetImageAsync(string sceneId, CancellationToken cancellationToken)
        => SceneRules.IsValid(sceneId) && await codes.GetImageAsync(sceneId, cancellationToken) is { } png
            ? png
            : Error.NotFound("qrcode_not_found", "No such QR code.");
}
