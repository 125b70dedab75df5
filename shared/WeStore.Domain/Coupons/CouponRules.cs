namespace WeStore.Domain.Coupons;

public enum CouponType
{
    Fixed,
    Percent,
    Threshold,
}

public enum IssueOn
{
    Claim,
    Welcome,
    Scan,
    PostPurchase,
    Code,

    /// <summary>To a referrer, when a member they brought completes a first order.</summary>
    Referral,
}

/// <summary>What a coupon takes off and on what. Snapshotted onto each coupon, so editing a campaign never
/// changes coupons already issued.</summary>
public sealed record CouponTerms(
    CouponType Type, long AmountOff, int PercentOff, long MaxDiscount, long MinSpend,
    IReadOnlyList<string> SkuIds, IReadOnlyList<string> ProductIds)
{
    public bool CoversAll => SkuIds.Count == 0 && ProductIds.Count == 0;

    public bool Covers(string skuId, string productId) => CoversAll || SkuIds.Contains(skuId) || ProductIds.Contains(productId);

    /// <summary>
    /// The discount for an order whose in-scope lines come to <paramref name="eligibleSubtotal"/> fen: fixed takes
    /// its amount, percent takes a share rounded down and capped, threshold takes its amount once the minimum is
    /// reached. Never more than the eligible subtotal; pricing then keeps the payable at 1 fen or more.
    /// </summary>
    public long DiscountFor(long eligibleSubtotal)
    {
        if (eligibleSubtotal <= 0 || eligibleSubtotal < MinSpend) return 0;
        var discount = Type switch
        {
            CouponType.Fixed => AmountOff,
            CouponType.Threshold => AmountOff,
            CouponType.Percent => Math.Min(checked(eligibleSubtotal * PercentOff) / 100, MaxDiscount > 0 ? MaxDiscount : long.MaxValue),
            _ => 0,
        };
        return Math.Clamp(discount, 0, eligibleSubtotal);
    }
}

/// <summary>
/// A coupon campaign: terms, validity (a fixed range, or N days from claiming), a claim window, total stock and a
/// per-member limit, and how coupons are issued. Claimed counts coupons issued; it never passes TotalStock.
/// </summary>
/// <summary>One counter shard of a campaign, read with the campaign's definition: one read prices and counts a claim.</summary>
public sealed record CampaignSlice(CouponCampaign Campaign, int Shard, int Stock, int Claimed, string Version)
{
    public int Remaining => Stock - Claimed;
}

public sealed class CouponCampaign
{
    private CouponCampaign(string id) => Id = id;

    public string Id { get; }

    public string Name { get; private set; } = string.Empty;

    public CouponTerms Terms { get; private set; } = null!;

    public DateTimeOffset? ValidFrom { get; private set; }

    public DateTimeOffset? ValidTo { get; private set; }

    public int? ValidDays { get; private set; }

    public DateTimeOffset? ClaimFrom { get; private set; }

    public DateTimeOffset? ClaimTo { get; private set; }

    public int TotalStock { get; private set; }

    public int PerMemberLimit { get; private set; }

    public IssueOn IssueOn { get; private set; }

    public bool Paused { get; private set; }

    public int Claimed { get; private set; }

    /// <summary>The stock is split over this many counters, so concurrent claims rarely race for one version.</summary>
    public int Shards { get; private set; } = 1;

    public const int MaxShards = 16;

    public DateTimeOffset CreatedAt { get; private set; }

    public string? Version { get; private set; }

    public static CouponCampaign Create(
        string id, string name, CouponTerms terms, DateTimeOffset? validFrom, DateTimeOffset? validTo, int? validDays,
        DateTimeOffset? claimFrom, DateTimeOffset? claimTo, int totalStock, int perMemberLimit, IssueOn issueOn, DateTimeOffset now)
    {
        if (validDays is null && validTo is null) throw new ArgumentException("A campaign needs validTo or validDays.");
        if (totalStock < 1 || perMemberLimit < 1) throw new ArgumentException("Stock and the per-member limit must be positive.");
        return new CouponCampaign(id)
        {
            Name = name, Terms = terms, ValidFrom = validFrom, ValidTo = validTo, ValidDays = validDays, ClaimFrom = claimFrom, ClaimTo = claimTo,
            TotalStock = totalStock, PerMemberLimit = perMemberLimit, IssueOn = issueOn, CreatedAt = now, Shards = Math.Min(MaxShards, totalStock),
        };
    }

    /// <summary>How much of the stock counter <paramref name="shard"/> holds.</summary>
    public int StockOfShard(int shard) => (TotalStock / Shards) + (shard < TotalStock % Shards ? 1 : 0);

    public static CouponCampaign Restore(
        string id, string name, CouponTerms terms, DateTimeOffset? validFrom, DateTimeOffset? validTo, int? validDays, DateTimeOffset? claimFrom,
        DateTimeOffset? claimTo, int totalStock, int perMemberLimit, IssueOn issueOn, bool paused, int claimed, DateTimeOffset createdAt, string? version,
        int shards = 1)
        => new(id)
        {
            Shards = Math.Max(1, shards),
            Name = name, Terms = terms, ValidFrom = validFrom, ValidTo = validTo, ValidDays = validDays, ClaimFrom = claimFrom, ClaimTo = claimTo,
            TotalStock = totalStock, PerMemberLimit = perMemberLimit, IssueOn = issueOn, Paused = paused, Claimed = claimed, CreatedAt = createdAt,
            Version = version,
        };

    public int Remaining => TotalStock - Claimed;

    public bool InClaimWindow(DateTimeOffset now) => (ClaimFrom is null || now >= ClaimFrom) && (ClaimTo is null || now <= ClaimTo);

    /// <summary>Why no coupon can be issued now (stock aside, which each counter shard knows), or null if it can.</summary>
    public string? RefusalAt(DateTimeOffset now) =>
        Paused ? "paused"
        : !InClaimWindow(now) ? "outside its claim window"
        : ValidTo is { } end && now > end ? "over"
        : null;

    /// <summary>The total issued, summed over the counter shards (for operators).</summary>
    public void SetClaimed(int claimed) => Claimed = claimed;

    public (DateTimeOffset From, DateTimeOffset To) ValidityFor(DateTimeOffset claimedAt)
        => ValidDays is { } days
            ? (claimedAt, claimedAt.AddDays(days))
            : (ValidFrom ?? claimedAt, ValidTo!.Value);

    public void Pause() => Paused = true;

    public void Resume() => Paused = false;
}
