using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Attribution;
using WeStore.Application.Coupons;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.Application.Segments;
using WeStore.Domain.Members;

namespace WeStore.Application.WeCom;

/// <summary>
/// Joins a WeCom contact or an Official Account follower to its member: the code's coupon (once per contact or
/// follower, through the idempotent issuance), the add or follow as a touch in the member's attribution (once, by a
/// marker saved in the same batch), and the member counted as new for the code when it was their first touch. Both
/// paths that can find the pair run this, the event's consumer (member first) and the login's (relation first); every
/// step is once-only, so the pair is linked once.
/// </summary>
public sealed class ContactLinker(
    IUnionIdIndex index, IMemberAttributionRepository attributions, IAttributionCounters counters, CouponIssuance coupons,
    WeStore.Application.Segments.MemberFactsNotifier facts, WeStore.Application.Referrals.ReferralService referrals, IOptions<AttributionOptions> options, ILogger<ContactLinker> logger)
{
    public static string CouponKey(string campaignId, string externalUserId) => $"wecom|{campaignId}|{externalUserId}";

    public static string FollowCouponKey(string campaignId, string openId) => $"oa|{campaignId}|{openId}";

    private static bool IsFollow(ContactLink link) => link.Kind == TouchKind.Follow;

    /// <summary>
    /// The event's path: the relation is written at its unionid before the member is looked up there, as the login
    /// writes the member before it looks for relations, so whichever comes second finds the other.
    /// </summary>
    public async Task RecordAsync(ContactLink link, CancellationToken cancellationToken)
    {
        await index.SaveContactAsync(link, cancellationToken);
        if (await index.GetMemberAsync(link.UnionId, cancellationToken) is { } member) await LinkAsync(link, member.OpenId, cancellationToken);
    }

    public async Task LinkAsync(ContactLink link, string openId, CancellationToken cancellationToken)
    {
        if (link.CouponCampaignId is { } campaign)
        {
            await coupons.IssueAutomaticallyAsync(campaign, openId, IsFollow(link) ? FollowCouponKey(campaign, link.ExternalUserId) : CouponKey(campaign, link.ExternalUserId), cancellationToken);
        }

        var touch = IsFollow(link) ? Touch.OfFollow(link.State, link.Channel, link.AddedAt) : Touch.OfContactAdd(link.State, link.Channel, link.UserId, link.AddedAt);
        var outcome = await Optimistic.RetryAsync<OnceSave>("The member's attribution", async _ =>
        {
            var attribution = await attributions.GetAsync(openId, cancellationToken) ?? MemberAttribution.New(openId);
            var acquired = attribution.RecordRelationTouch(touch, options.Value.Window);
            var saved = await attributions.TrySaveOnceAsync(attribution, (IsFollow(link) ? "follow|" : "wecom|") + link.ExternalUserId, acquired, cancellationToken);
            return saved.Saved || saved.AlreadyDone ? saved : Attempt<OnceSave>.Again;
        }, cancellationToken);

        if (outcome.Acquired)
        {
            var key = IsFollow(link) ? CounterKey.ForFollow(link.State, link.Channel) : CounterKey.ForContact(link.State, link.Channel, link.UserId);
            await counters.AddOnceAsync(BusinessCalendar.DayKey(link.AddedAt), key, (IsFollow(link) ? "fm|" : "wm|") + link.ExternalUserId, new AttributionCounts(NewMembers: 1), cancellationToken);
        }

        await facts.NotifyAsync(IsFollow(link)
            ? new(openId, FactChanges.Followed, link.AddedAt, link.ExternalUserId)
            : new(openId, FactChanges.WecomAdded, link.AddedAt, StaffUserId: link.UserId, ExternalUserId: link.ExternalUserId), cancellationToken);
        // A contact-me code whose state is a member's share scene binds the newcomer to that referrer.
        if (!IsFollow(link) && WeStore.Domain.Referrals.ReferralCodes.IsReferral(link.State))
        {
            await referrals.BindAsync(openId, link.State!, WeStore.Domain.Referrals.ReferralVia.WeCom, cancellationToken);
        }

        if (!link.Linked) await index.MarkLinkedAsync(link, openId, cancellationToken);
        if (outcome.Saved) logger.LogInformation("A {Kind} through {State} was linked to its member", link.Kind, link.State ?? Touch.NoState);
    }

    /// <summary>A WeCom relation lost: the member's facts hear of it (when the person is a member).</summary>
    public Task LostAsync(string unionId, string externalUserId, string userId, DateTimeOffset at, CancellationToken cancellationToken)
        => EndedAsync(unionId, openId => new(openId, FactChanges.WecomLost, at, StaffUserId: userId, ExternalUserId: externalUserId), cancellationToken);

    /// <summary>An Official Account follower gone: the member's facts hear of it (when the person is a member).</summary>
    public Task UnfollowedAsync(string unionId, string officialAccountOpenId, DateTimeOffset at, CancellationToken cancellationToken)
        => EndedAsync(unionId, openId => new(openId, FactChanges.Unfollowed, at, officialAccountOpenId), cancellationToken);

    private async Task EndedAsync(string unionId, Func<string, MemberFactsMessage> change, CancellationToken cancellationToken)
    {
        if (await index.GetMemberAsync(unionId, cancellationToken) is { } member) await facts.NotifyAsync(change(member.OpenId), cancellationToken);
    }

    /// <summary>The login's path: a unionid newly joined to a member resolves the relations waiting at it, then is marked resolved (unless it already is).</summary>
    public async Task LinkWaitingAsync(string unionId, string openId, CancellationToken cancellationToken, bool markResolved = true)
    {
        foreach (var link in await index.ListContactsAsync(unionId, cancellationToken))
        {
            if (!link.Linked) await LinkAsync(link, openId, cancellationToken);
        }

        if (markResolved) await index.MarkResolvedAsync(unionId, true, cancellationToken);
    }
}
