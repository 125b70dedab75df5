using WeStore.Domain.Coupons;

namespace WeStore.Application.Coupons;

/// <summary>A coupon in a member's wallet, with its state worked out from the clock.</summary>
public sealed record CouponView(
    string CouponId, string CampaignId, string Name, string Type, long AmountOff, int PercentOff, long MaxDiscount, long MinSpend,
    IReadOnlyList<string> SkuIds, IReadOnlyList<string> ProductIds, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, string State, string? OrderNo)
{
    public static CouponView From(Coupon c, DateTimeOffset now) => new(
        c.Id, c.CampaignId, c.Name, c.Terms.Type.ToString().ToLowerInvariant(), c.Terms.AmountOff, c.Terms.PercentOff, c.Terms.MaxDiscount,
        c.Terms.MinSpend, c.Terms.SkuIds, c.Terms.ProductIds, c.ValidFrom, c.ValidTo, c.DisplayState(now), c.OrderNo);
}

/// <summary>A campaign as operators and members see it, with the number claimed so far.</summary>
public sealed record CampaignView(
    string Id, string Name, string IssueOn, string Type, long AmountOff, int PercentOff, long MaxDiscount, long MinSpend,
    IReadOnlyList<string> SkuIds, IReadOnlyList<string> ProductIds, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo, int? ValidDays,
    DateTimeOffset? ClaimFrom, DateTimeOffset? ClaimTo, int TotalStock, int PerMemberLimit, int Claimed, bool Paused)
{
    public static CampaignView From(CouponCampaign c) => new(
        c.Id, c.Name, char.ToLowerInvariant(c.IssueOn.ToString()[0]) + c.IssueOn.ToString()[1..], c.Terms.Type.ToString().ToLowerInvariant(),
        c.Terms.AmountOff, c.Terms.PercentOff, c.Terms.MaxDiscount, c.Terms.MinSpend, c.Terms.SkuIds, c.Terms.ProductIds, c.ValidFrom, c.ValidTo,
        c.ValidDays, c.ClaimFrom, c.ClaimTo, c.TotalStock, c.PerMemberLimit, c.Claimed, c.Paused);
}

/// <summary>The member's wallet, by state.</summary>
public sealed record WalletView(IReadOnlyList<CouponView> Available, IReadOnlyList<CouponView> Reserved, IReadOnlyList<CouponView> Used, IReadOnlyList<CouponView> Expired);
