namespace WeStore.Application.Coupons;

/// <summary>The <c>Coupons:*</c> settings: which campaigns are issued automatically.</summary>
public sealed class CouponOptions
{
    public const string Section = "Coupons";

    /// <summary>Issued once to every new member on first login (a campaign with issueOn "welcome").</summary>
    public string? WelcomeCampaignId { get; set; }

    /// <summary>Issued after each paid order, once per order (a campaign with issueOn "postPurchase").</summary>
    public string? PostPurchaseCampaignId { get; set; }
}
