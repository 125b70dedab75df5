using Microsoft.Extensions.Logging;
using WeStore.Application.Security;
using WeStore.Domain.Common;
using WeStore.Domain.Members;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;

namespace WeStore.Application.Auth;

public sealed record LoginResult(string Token, int ExpiresIn, bool IsNewMember);

/// <summary>
/// wx.login code → jscode2session → member recorded (first touch kept) → session token. The session_key is
/// encrypted before it is stored and is never returned or logged.
/// </summary>
public sealed class LoginService(
    WeChatAuthClient wechat,
    IMemberRepository members,
    SessionTokenService sessions,
    SecretProtector protector,
    WeStore.Application.Coupons.CouponIssuance coupons,
    IUnionIdIndex unionIds,
    WeStore.Application.WeCom.ContactLinker linker,
    WeStore.Domain.Messaging.IMessageSender messages,
    WeStore.Application.Segments.MemberFactsNotifier facts,
    TimeProvider time,
    ILogger<LoginService> logger)
{
    private const int MaxResolved = 100_000;

    // Unionids this instance has seen resolved: a returning member's login then costs nothing more.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _resolved = new(StringComparer.Ordinal);

    public async Task<Result<LoginResult>> LoginAsync(string code, CancellationToken cancellationToken)
    {
        SnsJsCode2SessionResponse session;
        try
        {
            session = await wechat.JsCode2SessionAsync(new SnsJsCode2SessionRequest(code), cancellationToken);
        }
        catch (WeChatApiException e)
        {
            logger.LogInformation("jscode2session refused a login code: errcode {ErrorCode}", e.ErrorCode);
            return WeChatErrors.ForLogin(e);
        }
        catch (WeChatUnavailableException)
        {
            return WeChatErrors.Unavailable;
        }

        if (!OpenIdRules.IsValid(session.OpenId) || string.IsNullOrEmpty(session.SessionKey))
        {
            logger.LogWarning("jscode2session answered without a usable openid or session_key");
            return WeChatErrors.Unavailable;
        }

        var openId = session.OpenId!;
        var member = Member.FirstLogin(openId, session.UnionId, protector.Protect(session.SessionKey, openId), time.GetUtcNow());
        // The welcome coupon is issued before the member is written (idempotent by member): if storage fails there,
        // the login answers 503 and the Mini Program's next login is a first login again, which finds the coupon
        // claimed and delivers it. A campaign that is over or gone never fails the login.
        var isNew = await members.RecordLoginAsync(member, ct => coupons.IssueWelcomeAsync(openId, ct), cancellationToken);
        if (UnionIdRules.IsValid(session.UnionId)) await JoinUnionIdAsync(session.UnionId!, openId, isNew, cancellationToken);
        var token = sessions.Issue(openId, newMember: isNew);
        if (isNew)
        {
            // The member's facts row starts here: joined, with no purchase (the segments' "new" stage).
            await facts.NotifyAsync(new(openId, WeStore.Application.Segments.FactChanges.Joined, member.FirstSeenAt), cancellationToken);
            logger.LogInformation("A new member joined");
        }
        return new LoginResult(token.Token, token.ExpiresIn, isNew);
    }

    /// <summary>
    /// Keeps unionid → member, and links the WeCom contacts and followers that waited for this member before the login
    /// answers, so an order placed right after it carries their touch. Should that fail, the link consumer is handed
    /// the work instead (the queue delivers at least once). A new member costs the unionid's row and one read of its
    /// partition; a returning member one point read per instance, then nothing.
    /// </summary>
    private async Task JoinUnionIdAsync(string unionId, string openId, bool isNew, CancellationToken cancellationToken)
    {
        if (_resolved.ContainsKey(unionId)) return;
        var row = isNew ? null : await unionIds.GetMemberAsync(unionId, cancellationToken);
        var registered = row is null && await unionIds.TryRegisterMemberAsync(unionId, openId, cancellationToken);
        if (row is null && !registered) row = await unionIds.GetMemberAsync(unionId, cancellationToken);
        if (row is { } existing && existing.OpenId != openId) return;
        if (registered || row is not { Resolved: true })
        {
            try
            {
                // A new row is written resolved: a relation that comes after it finds the member by itself.
                await linker.LinkWaitingAsync(unionId, openId, cancellationToken, markResolved: !registered);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Linking the relations waiting for a member failed at login; the link consumer takes it over");
                if (registered) await unionIds.MarkResolvedAsync(unionId, false, cancellationToken);
                await messages.SendAsync(WeStore.Domain.Push.PushQueues.UnionIdLinks, new WeStore.Domain.Push.UnionIdLinkMessage(unionId, openId), cancellationToken: cancellationToken);
            }
        }

        if (_resolved.Count >= MaxResolved) _resolved.Clear();
        _resolved[unionId] = true;
    }
}

/// <summary>WeChat's error codes in terms of what the Mini Program should do (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html).</summary>
public static class WeChatErrors
{
    public static readonly Error Unavailable = Error.Unavailable("wechat_unavailable", "WeChat is unavailable; try again shortly.", TimeSpan.FromSeconds(5));

    public static Error ForLogin(WeChatApiException e) => e.ErrorCode switch
    {
        WeChatErrorCodes.InvalidCode or WeChatErrorCodes.CodeUsed =>
            Error.Unauthorized("invalid_code", "The login code is invalid or was already used; call wx.login again."),
        WeChatErrorCodes.RateLimited =>
            Error.TooManyRequests("rate_limited", "Too many logins; try again in a minute.", TimeSpan.FromSeconds(60)),
        WeChatErrorCodes.HighRiskUser =>
            Error.Forbidden("risky_user", "WeChat has blocked this login."),
        _ => Error.Unavailable("wechat_error", $"WeChat refused the call (errcode {e.ErrorCode}).", TimeSpan.FromSeconds(5)),
    };
}
