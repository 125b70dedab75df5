using WeStore.Domain.Coupons;

namespace WeStore.Testing.Builders;

/// <summary>A <see cref="CouponCampaign"/>: by default 500 fen off anything, 100 in stock, one per member, valid 30 days after claiming.</summary>
public sealed class CampaignBuilder
{
    private string _id = "c-test";
    private CouponTerms _terms = new(CouponType.Fixed, 500, 0, 0, 0, [], []);
    private int _stock = 100;
    private int _perMember = 1;
    private IssueOn _issueOn = IssueOn.Claim;
    private int? _validDays = 30;
    private DateTimeOffset? _validFrom;
    private DateTimeOffset? _validTo;
    private DateTimeOffset? _claimFrom;
    private DateTimeOffset? _claimTo;

    public CampaignBuilder WithId(string id)
    {
        _id = id;
        return this;
    }

    public CampaignBuilder Fixed(long amountOff, long minSpend = 0)
    {
        _terms = new CouponTerms(minSpend > 0 ? CouponType.Threshold : CouponType.Fixed, amountOff, 0, 0, minSpend, [], []);
        return this;
    }

    public CampaignBuilder Percent(int percentOff, long maxDiscount)
    {
        _terms = new CouponTerms(CouponType.Percent, 0, percentOff, maxDiscount, 0, [], []);
        return this;
    }

    public CampaignBuilder Stock(int stock, int perMember = 1)
    {
        (_stock, _perMember) = (stock, perMember);
        return this;
    }

    public CampaignBuilder IssuedOn(IssueOn issueOn)
    {
        _issueOn = issueOn;
        return this;
    }

    public CampaignBuilder ValidBetween(DateTimeOffset from, DateTimeOffset to)
    {
        (_validFrom, _validTo, _validDays) = (from, to, null);
        return this;
    }

    public CampaignBuilder ClaimableBetween(DateTimeOffset? from, DateTimeOffset? to)
    {
        (_claimFrom, _claimTo) = (from, to);
        return this;
    }

    public CouponCampaign Build(DateTimeOffset? now = null)
        => CouponCampaign.Create(_id, "测试券 " + _id, _terms, _validFrom, _validTo, _validDays, _claimFrom, _claimTo, _stock, _perMember, _issueOn,
            now ?? OrderBuilder.DefaultNow);

    /// <summary>A coupon of this campaign in a member's wallet, claimed at <paramref name="claimedAt"/>.</summary>
    public Coupon Coupon(string openId = "oMember0000000000000000000001", DateTimeOffset? claimedAt = null)
        => WeStore.Domain.Coupons.Coupon.Issue("cp-" + _id, openId, Build(), claimedAt ?? OrderBuilder.DefaultNow);
}
