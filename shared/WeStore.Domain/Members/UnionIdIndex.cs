namespace WeStore.Domain.Members;

/// <summary>
/// A WeCom contact or an Official Account follower waiting at a unionid for its member, or linked to one: what the
/// link gives the member (the touch, the coupon) is carried here, so a relation that comes before the first login
/// resolves at that login. For a WeCom contact <see cref="ExternalUserId"/> is its external_userid and
/// <see cref="UserId"/> the staff member; for a follower they are its Official Account openid and "oa", and
/// <see cref="State"/> is the follow code's scene_str.
/// </summary>
public sealed record ContactLink(
    string UnionId, string ExternalUserId, string UserId, string? State, string Channel, string? CouponCampaignId, DateTimeOffset AddedAt, string? LinkedOpenId = null,
    Attribution.TouchKind Kind = Attribution.TouchKind.WeComAdd)
{
    public bool Linked => LinkedOpenId is not null;

    public static ContactLink ForFollower(string unionId, string openId, string? scene, string channel, string? couponCampaignId, DateTimeOffset at)
        => new(unionId, openId, "oa", scene, channel, couponCampaignId, at, Kind: Attribution.TouchKind.Follow);
}

/// <summary>
/// One person across the Mini Program, WeCom and the Official Account is one unionid. Point-read rows join them:
/// unionid → member, and unionid → that person's WeCom contacts, so no join ever scans.
/// </summary>
public interface IUnionIdIndex
{
    /// <summary>The member row: who, and whether the contacts that waited for them have been linked.</summary>
    Task<(string OpenId, bool Resolved)?> GetMemberAsync(string unionId, CancellationToken cancellationToken);

    /// <summary>
    /// Records unionid → member, taken as resolved: the caller links what waits at the unionid next, and a relation
    /// written after this finds the member itself. False when a row was there already.
    /// </summary>
    Task<bool> TryRegisterMemberAsync(string unionId, string openId, CancellationToken cancellationToken);

    /// <summary>Whether the relations that waited at the unionid are linked: later logins need not look again (or must).</summary>
    Task MarkResolvedAsync(string unionId, bool resolved, CancellationToken cancellationToken);

    /// <summary>Records a contact at the unionid (a link already resolved stays resolved).</summary>
    Task SaveContactAsync(ContactLink link, CancellationToken cancellationToken);

    /// <summary>The person's WeCom contacts and follows (one partition).</summary>
    Task<IReadOnlyList<ContactLink>> ListContactsAsync(string unionId, CancellationToken cancellationToken);

    Task MarkLinkedAsync(ContactLink link, string openId, CancellationToken cancellationToken);
}

public static class UnionIdRules
{
    /// <summary>A unionid becomes a partition key: short, and free of the characters keys refuse.</summary>
    public static bool IsValid(string? unionId) => OpenIdRules.IsValid(unionId);
}
