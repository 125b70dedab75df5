namespace WeStore.Domain.Referrals;

/// <summary>
/// A member's share scene: <c>rf_</c> and 16 base32 characters (80 random bits), so it cannot be guessed or walked,
/// and it says nothing of the member. It is a valid Mini Program scene (32 characters at most) and a valid WeCom
/// contact-me state (30), so a scan, a shared card and a WeCom add all carry the same reference.
/// </summary>
public static class ReferralCodes
{
    public const string Prefix = "rf_";
    public const int Length = 19;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static bool IsReferral(string? scene)
        => scene is { Length: Length } && scene.StartsWith(Prefix, StringComparison.Ordinal) && scene.AsSpan(Prefix.Length).IndexOfAnyExcept(Alphabet) < 0;

    /// <summary>Operators' codes may not look like members' share scenes.</summary>
    public static bool IsReserved(string? scene) => scene is not null && scene.StartsWith(Prefix, StringComparison.Ordinal);

    public static string New()
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(10);
        var chars = new char[16];
        for (var i = 0; i < chars.Length; i++)
        {
            var bit = i * 5;
            var value = (((bytes[bit / 8] << 8) | (bit / 8 + 1 < bytes.Length ? bytes[(bit / 8) + 1] : 0)) >> (11 - (bit % 8))) & 0x1F;
            chars[i] = Alphabet[value];
        }

        return Prefix + new string(chars);
    }
}

/// <summary>How the newcomer arrived with the referrer's scene.</summary>
public static class ReferralVia
{
    public const string Scan = "scan";
    public const string Card = "card";
    public const string WeCom = "wecom";
}

public enum BindOutcome
{
    Bound,

    /// <summary>Moved from an earlier referrer whose protection window had passed.</summary>
    Rebound,

    /// <summary>Already bound to this referrer.</summary>
    Unchanged,

    SelfReferral,

    SameUnionId,

    /// <summary>The referrer is (through their own referrers) referred by this member.</summary>
    Cycle,

    /// <summary>Joined longer ago than the bind window: not a newcomer.</summary>
    TooLate,

    /// <summary>Bound to another referrer within the protection window.</summary>
    Protected,

    /// <summary>The first order already completed: the binding is settled.</summary>
    Settled,
}

public enum RewardState
{
    /// <summary>Bound; the first order has not completed.</summary>
    Pending,

    /// <summary>Issued to the referrer when the first order completed.</summary>
    Earned,

    /// <summary>Taken back after that order was refunded.</summary>
    ClawedBack,
}

/// <summary>The rules a binding is judged by (settings under <c>Referral:</c>).</summary>
public sealed record ReferralRules(TimeSpan BindWindow, TimeSpan Protect);

/// <summary>What the referrer got for one referred member, and what came back when it was clawed back.</summary>
public sealed record ReferralReward(string OrderNo, long OrderAmount, string? CouponId, long Points, DateTimeOffset At,
    DateTimeOffset? ClawedBackAt = null, bool CouponWithdrawn = false, bool CouponLoss = false, long PointsTaken = 0);

/// <summary>
/// A member's referral: their own share code, and who referred them. Bound once to the first referrer seen within
/// the bind window of joining; a later referrer takes it only after the protection window and before the first order
/// completes. The reward is earned once, when that first order completes, and clawed back once if it is refunded.
/// </summary>
public sealed class MemberReferral
{
    private MemberReferral(string openId) => OpenId = openId;

    public string OpenId { get; }

    public string? Code { get; private set; }

    public string? ReferrerOpenId { get; private set; }

    public string? ReferrerCode { get; private set; }

    public string? Via { get; private set; }

    public DateTimeOffset? BoundAt { get; private set; }

    public RewardState State { get; private set; }

    public ReferralReward? Reward { get; private set; }

    public string? Version { get; private set; }

    public static MemberReferral New(string openId) => new(openId);

    public static MemberReferral Restore(string openId, string? code, string? referrerOpenId, string? referrerCode, string? via, DateTimeOffset? boundAt,
        RewardState state, ReferralReward? reward, string? version)
        => new(openId) { Code = code, ReferrerOpenId = referrerOpenId, ReferrerCode = referrerCode, Via = via, BoundAt = boundAt, State = state, Reward = reward, Version = version };

    public void Saved(string version) => Version = version;

    /// <summary>Gives the member their share code; false if they have one.</summary>
    public bool AssignCode(string code)
    {
        if (Code is not null) return false;
        Code = code;
        return true;
    }

    /// <summary>The rules of a binding, except cycles (which need the referrer's own chain, read by the caller).</summary>
    public BindOutcome Judge(string referrerOpenId, string? referrerUnionId, string? memberUnionId, DateTimeOffset joinedAt, DateTimeOffset now, ReferralRules rules)
    {
        if (referrerOpenId == OpenId) return BindOutcome.SelfReferral;
        if (referrerUnionId is not null && referrerUnionId == memberUnionId) return BindOutcome.SameUnionId;
        if (ReferrerOpenId == referrerOpenId) return BindOutcome.Unchanged;
        if (State != RewardState.Pending) return BindOutcome.Settled;
        if (now - joinedAt > rules.BindWindow) return BindOutcome.TooLate;
        if (BoundAt is { } at && now - at < rules.Protect) return BindOutcome.Protected;
        return ReferrerOpenId is null ? BindOutcome.Bound : BindOutcome.Rebound;
    }

    /// <summary>Binds (or moves) the member to the referrer; the caller judged it first.</summary>
    public void Bind(string referrerOpenId, string referrerCode, string via, DateTimeOffset now)
    {
        if (State != RewardState.Pending) throw new InvalidOperationException("A settled referral cannot move.");
        ReferrerOpenId = referrerOpenId;
        ReferrerCode = referrerCode;
        Via = via;
        BoundAt = now;
    }

    /// <summary>The first order completed: the reward is the referrer's. False if there is no referrer or it was earned already.</summary>
    public bool Earn(ReferralReward reward)
    {
        if (ReferrerOpenId is null || State != RewardState.Pending) return false;
        State = RewardState.Earned;
        Reward = reward;
        return true;
    }

    /// <summary>The rewarded order was refunded: what came back. False unless the reward stands for that order.</summary>
    public bool ClawBack(string orderNo, DateTimeOffset now, bool couponWithdrawn, bool couponLoss, long pointsTaken)
    {
        if (State != RewardState.Earned || Reward?.OrderNo != orderNo) return false;
        State = RewardState.ClawedBack;
        Reward = Reward with { ClawedBackAt = now, CouponWithdrawn = couponWithdrawn, CouponLoss = couponLoss, PointsTaken = pointsTaken };
        return true;
    }
}

/// <summary>One referred member in the referrer's list; <paramref name="Label"/> is what the referrer may see of them.</summary>
public sealed record ReferredMember(string OpenId, DateTimeOffset BoundAt, string Via, RewardState State, ReferralReward? Reward, string Label, bool Moved = false);

public interface IReferralStore
{
    Task<MemberReferral> GetAsync(string openId, CancellationToken cancellationToken);

    /// <summary>Under the version read (or created if new); false if it changed.</summary>
    Task<bool> TrySaveAsync(MemberReferral referral, CancellationToken cancellationToken);

    /// <summary>Claims a code for a member; false if the code is taken.</summary>
    Task<bool> TryClaimCodeAsync(string code, string openId, CancellationToken cancellationToken);

    Task<string?> FindReferrerAsync(string code, CancellationToken cancellationToken);

    /// <summary>The referrer's row for a referred member, written as the referral stands.</summary>
    Task SaveReferredAsync(string referrerOpenId, ReferredMember referred, CancellationToken cancellationToken);

    Task<ReferredMember?> GetReferredAsync(string referrerOpenId, string referredOpenId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReferredMember>> ListReferredAsync(string referrerOpenId, int max, CancellationToken cancellationToken);
}
