using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Security;
using WeStore.Domain.Common;
using WeStore.Domain.Members;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;

namespace WeStore.Application.Auth;

public sealed record PhoneResult(string MaskedPhoneNumber, string? CountryCode);

/// <summary>
/// A phone-number button code → getuserphonenumber (with the member's openid, so WeChat checks the code is theirs)
/// → the watermark's appid checked → the number stored encrypted, returned masked.
/// </summary>
public sealed class PhoneService(
    WeChatApiClient wechat,
    IMemberRepository members,
    SecretProtector protector,
    IOptions<WeChatOptions> options,
    TimeProvider time,
    ILogger<PhoneService> logger)
{
    public async Task<Result<PhoneResult>> BindAsync(MemberSession session, string code, CancellationToken cancellationToken)
    {
        var member = await members.GetAsync(session.OpenId, cancellationToken);
        if (member is null) return Error.Unauthorized("unknown_member", "Log in again.");

        WxaBusinessGetUserPhoneNumberResponse response;
        try
        {
            response = await wechat.GetUserPhoneNumberAsync(new WxaBusinessGetUserPhoneNumberRequest { Code = code, OpenId = session.OpenId }, cancellationToken);
        }
        catch (WeChatApiException e)
        {
            logger.LogInformation("getuserphonenumber refused a code: errcode {ErrorCode}", e.ErrorCode);
            return e.ErrorCode == WeChatErrorCodes.InvalidCode
                ? Error.Invalid("invalid_code", "The phone-number code is invalid or expired; ask the shopper again.")
                : WeChatErrors.ForLogin(e);
        }
        catch (WeChatUnavailableException)
        {
            return WeChatErrors.Unavailable;
        }

        var info = response.PhoneInfo;
        if (info?.Watermark?.AppId != options.Value.AppId)
        {
            logger.LogWarning("getuserphonenumber answered with a watermark for another app");
            return Error.Forbidden("watermark_mismatch", "The phone number was issued for another app.");
        }

        var phone = info.PhoneNumber ?? info.PurePhoneNumber;
        if (string.IsNullOrEmpty(phone)) return WeChatErrors.Unavailable;

        var masked = PhoneMask.Mask(info.PurePhoneNumber ?? phone);
        member.BindPhone(protector.Protect(phone, session.OpenId), masked, time.GetUtcNow());
        await members.SavePhoneAsync(member, cancellationToken);
        return new PhoneResult(masked, info.CountryCode);
    }
}
