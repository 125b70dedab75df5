using WeStore.Domain.Referrals;

namespace WeStore.Application.Referrals;

/// <summary>Settings under <c>Referral:</c>.</summary>
public sealed class ReferralOptions
{
    public const string Section = "Referral";

    /// <summary>A member is bound only if the referrer is seen within this many days of the member joining.</summary>
    public int BindWindowDays { get; set; } = 30;

    /// <summary>For this many days after binding no later referrer can take the member.</summary>
    public int ProtectDays { get; set; } = 30;

    /// <summary>The coupon campaign issued to the referrer when a referred member's first order completes (optional).</summary>
    public string? RewardCampaignId { get; set; }

    /// <summary>Points granted to the referrer then (optional, 0 for none).</summary>
    public long RewardPoints { get; set; }

    /// <summary>The Mini Program page a share card opens; the scene is added as its query.</summary>
    public string SharePage { get; set; } = "pages/index/index";

    /// <summary>The staff member a member's own contact-me code adds (WeCom userid); unset, members get no contact-me code.</summary>
    public string? WeComStaffUserId { get; set; }

    /// <summary>The welcome sent to a friend added through a member's contact-me code.</summary>
    public string WeComWelcomeText { get; set; } = "你好，欢迎你！朋友推荐的好物都在小程序里。";

    public ReferralRules Rules => new(TimeSpan.FromDays(Math.Max(0, BindWindowDays)), TimeSpan.FromDays(Math.Max(0, ProtectDays)));
}
