using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Auth;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.Domain.Members;
using WeStore.Domain.Referrals;

namespace WeStore.Application.Referrals;

/// <summary>
/// Referrals: a member's share scene, and the binding of a newcomer who arrives with it (a scan, a shared card, a
/// WeCom add through a contact-me code carrying it). A binding is refused for the member themself, the same unionid on
/// both sides, a cycle (the referrer is, through their own referrers, referred by this member), a member who joined
/// longer ago than the bind window, and, within the protection window, a second referrer. The referrer's list and the
/// report's <c>referrer</c> rows are written with it.
/// </summary>
public sealed class ReferralService(
    IReferralStore store,
    IMemberRepository members,
    IAttributionCounters counters,
    WeStore.Application.WeCom.ContactWayService contactWays,
    IOptions<ReferralOptions> options,
    TimeProvider time,
    ILogger<ReferralService> logger)
{
    /// <summary>How far up a referrer's own chain a cycle is looked for (chains of newcomers are short).</summary>
    public const int MaxChain = 8;

    public const int MaxListed = 200;

    /// <summary>The member's share scene, made once: the same member always gets the same scene.</summary>
    public async Task<ReferralCodeView> CodeAsync(MemberSession member, CancellationToken cancellationToken)
    {
        var code = await Optimistic.RetryAsync<string>("The member's referral", async _ =>
        {
            var referral = await store.GetAsync(member.OpenId, cancellationToken);
            if (referral.Code is { } existing) return existing;
            var fresh = ReferralCodes.New();
            if (!await store.TryClaimCodeAsync(fresh, member.OpenId, cancellationToken)) return Attempt<string>.Again;
            referral.AssignCode(fresh);
            return await store.TrySaveAsync(referral, cancellationToken) ? fresh : Attempt<string>.Again;
        }, cancellationToken);
        return new ReferralCodeView(code, options.Value.SharePage + "?scene=" + code);
    }

    /// <summary>
    /// The member's own WeCom contact-me code (state = their share scene), made once at WeCom for the staff member the
    /// settings name, so WeCom's add event carries the scene back to the store.
    /// </summary>
    public async Task<Result<ReferralContactView>> ContactCodeAsync(MemberSession member, CancellationToken cancellationToken)
    {
        if (options.Value.WeComStaffUserId is not { Length: > 0 } staff)
        {
            return Error.Conflict("referral_wecom_off", "The store gives members no contact-me code (Referral:WeComStaffUserId is not set).");
        }

        var scene = (await CodeAsync(member, cancellationToken)).Scene;
        var way = await contactWays.EnsureForReferrerAsync(scene, new WeStore.Application.WeCom.CreateContactWayCommand(
            "会员推荐 " + scene[^4..], "share", [staff], null, new WeStore.Domain.WeCom.WelcomeMessage(options.Value.WeComWelcomeText, null, null), SkipVerify: true, IdempotencyKey: scene), cancellationToken);
        if (!way.IsSuccess) return way.Error!;
        return way.Value!.QrCode is { Length: > 0 } qr ? new ReferralContactView(scene, qr) : Error.Unavailable("wecom_error", "WeCom gave no QR code; try again.", TimeSpan.FromSeconds(5));
    }

    /// <summary>A scan or a shared card carrying a share scene: counted for the referrer, and the member bound if the rules allow.</summary>
    public async Task<BindOutcome?> RecordScanAsync(MemberSession member, string code, int entryScene, CancellationToken cancellationToken)
    {
        await counters.AddAsync(BusinessCalendar.DayKey(time.GetUtcNow()), ForReferrer(code), new AttributionCounts(Scans: 1), cancellationToken);
        // 1007 and 1008: a shared card in a single or group chat (https://developers.weixin.qq.com/miniprogram/dev/reference/scene-list.html).
        return await BindAsync(member.OpenId, code, entryScene is 1007 or 1008 ? ReferralVia.Card : ReferralVia.Scan, cancellationToken);
    }

    /// <summary>Binds the member to the code's referrer; null when the code names nobody or the member is unknown.</summary>
    public async Task<BindOutcome?> BindAsync(string openId, string code, string via, CancellationToken cancellationToken)
    {
        if (!ReferralCodes.IsReferral(code)) return null;
        var referrerOpenId = await store.FindReferrerAsync(code, cancellationToken);
        var member = referrerOpenId is null ? null : await members.GetAsync(openId, cancellationToken);
        if (referrerOpenId is null || member is null) return null;
        var referrer = referrerOpenId == openId ? member : await members.GetAsync(referrerOpenId, cancellationToken);
        var rules = options.Value.Rules;

        string? previous = null;
        MemberReferral? bound = null;
        var outcome = await Optimistic.RetryAsync<BindOutcome>("The member's referral", async _ =>
        {
            var referral = await store.GetAsync(openId, cancellationToken);
            var now = time.GetUtcNow();
            var judged = referral.Judge(referrerOpenId, referrer?.UnionId, member.UnionId, member.FirstSeenAt, now, rules);
            if (judged is not (BindOutcome.Bound or BindOutcome.Rebound)) return judged;
            if (await InChainAsync(referrerOpenId, openId, cancellationToken)) return BindOutcome.Cycle;
            previous = referral.ReferrerOpenId;
            referral.Bind(referrerOpenId, code, via, now);
            bound = referral;
            return await store.TrySaveAsync(referral, cancellationToken) ? judged : Attempt<BindOutcome>.Again;
        }, cancellationToken);

        if (bound is not null)
        {
            await store.SaveReferredAsync(referrerOpenId, Listed(bound, member), cancellationToken);
            if (previous is not null) await store.SaveReferredAsync(previous, Listed(bound, member) with { Moved = true }, cancellationToken);
            await counters.AddOnceAsync(BusinessCalendar.DayKey(bound.BoundAt!.Value), ForReferrer(code), "rb|" + openId, new AttributionCounts(NewMembers: 1), cancellationToken);
            logger.LogInformation("A member was bound to a referrer through a {Via} ({Outcome})", via, outcome);
        }
        else
        {
            logger.LogInformation("A referral through a {Via} was not bound: {Outcome}", via, outcome);
        }

        return outcome;
    }

    public async Task<ReferralsView> ListAsync(MemberSession member, CancellationToken cancellationToken)
    {
        var own = await store.GetAsync(member.OpenId, cancellationToken);
        var referred = (await store.ListReferredAsync(member.OpenId, MaxListed, cancellationToken)).Where(r => !r.Moved).OrderByDescending(r => r.BoundAt).ToList();
        return new ReferralsView(own.Code, referred.Count(r => r.State == RewardState.Pending), referred.Count(r => r.State == RewardState.Earned), referred.Count(r => r.State == RewardState.ClawedBack),
            [.. referred.Select(r => new ReferredView(r.Label, r.BoundAt, r.Via, r.State switch { RewardState.Earned => "earned", RewardState.ClawedBack => "clawedBack", _ => "pending" },
                r.Reward?.Points ?? 0, r.Reward?.CouponId is not null))]);
    }

    /// <summary>The report's counter for a referrer: keyed by their share scene, in the "share" channel.</summary>
    public static CounterKey ForReferrer(string code) => new(code, "share", null, TouchKind.Referral);

    /// <summary>The referred member as the referrer sees them: a masked phone when the member gave one, else a label from their id.</summary>
    public static ReferredMember Listed(MemberReferral referral, Member? member) => new(referral.OpenId, referral.BoundAt ?? default, referral.Via ?? ReferralVia.Scan, referral.State, referral.Reward,
        Label: member?.MaskedPhoneNumber ?? "微信用户" + referral.OpenId[^4..]);

    /// <summary>Whether <paramref name="openId"/> is among the referrer's own referrers (binding would close a cycle).</summary>
    private async Task<bool> InChainAsync(string referrerOpenId, string openId, CancellationToken cancellationToken)
    {
        var next = referrerOpenId;
        for (var depth = 0; depth < MaxChain; depth++)
        {
            var up = (await store.GetAsync(next, cancellationToken)).ReferrerOpenId;
            if (up is null) return false;
            if (up == openId) return true;
            next = up;
        }

        return false;
    }
}
