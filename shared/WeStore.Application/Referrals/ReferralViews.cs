namespace WeStore.Application.Referrals;

/// <summary>The member's share scene and the path a shared card opens (<c>path</c> for <c>onShareAppMessage</c>, <c>scene</c> for a wxacode).</summary>
public sealed record ReferralCodeView(string Scene, string Path);

/// <summary>The member's own contact-me code: a friend who adds the brand's staff through its QR is bound to them.</summary>
public sealed record ReferralContactView(string Scene, string QrCode);

public sealed record ReferredView(string Member, DateTimeOffset BoundAt, string Via, string Reward, long Points, bool Coupon);

/// <summary>The referrer's list: whom they brought (masked), and the rewards pending, earned and taken back.</summary>
public sealed record ReferralsView(string? Scene, int Pending, int Earned, int ClawedBack, IReadOnlyList<ReferredView> Referred);
