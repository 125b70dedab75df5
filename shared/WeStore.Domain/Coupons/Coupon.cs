namespace WeStore.Domain.Coupons;

public enum CouponState
{
    Available,
    Reserved,
    Used,

    /// <summary>Taken back by the store (a referral reward whose order was refunded): shown nowhere, usable never.</summary>
    Withdrawn,
}

/// <summary>
/// A member's coupon. Available → Reserved (by one order) → Used (on payment), or back to Available when that
/// order closes, is cancelled or is fully refunded. Expiry is not a stored state: a coupon past its validity is
/// shown as expired and cannot be reserved, with no sweep over coupons.
/// </summary>
public sealed class Coupon
{
    private Coupon(string id, string openId)
    {
        Id = id;
        OpenId = openId;
    }

    public string Id { get; }

    public string OpenId { get; }

    public string CampaignId { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public CouponTerms Terms { get; private set; } = null!;

    public DateTimeOffset ValidFrom { get; private set; }

    public DateTimeOffset ValidTo { get; private set; }

    public DateTimeOffset ClaimedAt { get; private set; }

    public CouponState State { get; private set; }

    public string? OrderNo { get; private set; }

    public string? Version { get; private set; }

    public static Coupon Issue(string id, string openId, CouponCampaign campaign, DateTimeOffset claimedAt)
    {
        var (from, to) = campaign.ValidityFor(claimedAt);
        return new Coupon(id, openId)
        {
            CampaignId = campaign.Id, Name = campaign.Name, Terms = campaign.Terms, ValidFrom = from, ValidTo = to, ClaimedAt = claimedAt,
            State = CouponState.Available,
        };
    }

    public static Coupon Restore(
        string id, string openId, string campaignId, string name, CouponTerms terms, DateTimeOffset validFrom, DateTimeOffset validTo,
        DateTimeOffset claimedAt, CouponState state, string? orderNo, string? version)
        => new(id, openId)
        {
            CampaignId = campaignId, Name = name, Terms = terms, ValidFrom = validFrom, ValidTo = validTo, ClaimedAt = claimedAt,
            State = state, OrderNo = orderNo, Version = version,
        };

    public bool IsValidAt(DateTimeOffset now) => now >= ValidFrom && now <= ValidTo;

    /// <summary>What the wallet shows: expired is derived from the clock, not stored.</summary>
    public string DisplayState(DateTimeOffset now) => State switch
    {
        CouponState.Used => "used",
        CouponState.Reserved => "reserved",
        CouponState.Withdrawn => "withdrawn",
        _ => now > ValidTo ? "expired" : now < ValidFrom ? "notYetValid" : "available",
    };

    /// <summary>Why this coupon cannot back an order now, or null.</summary>
    public string? RefusalAt(DateTimeOffset now) =>
        State == CouponState.Used ? "already used"
        : State == CouponState.Withdrawn ? "withdrawn"
        : State == CouponState.Reserved ? "already reserved by another order"
        : now > ValidTo ? "expired"
        : now < ValidFrom ? "not valid yet"
        : null;

    public void Reserve(string orderNo, DateTimeOffset now)
    {
        if (RefusalAt(now) is { } why) throw new InvalidOperationException($"Coupon {Id} cannot be reserved: {why}.");
        State = CouponState.Reserved;
        OrderNo = orderNo;
    }

    /// <summary>The order paid: the coupon is spent. Idempotent for the same order.</summary>
    public bool Use(string orderNo)
    {
        // Anything but "reserved by this order" (already used by it, or freed meanwhile) is left as it is.
        if (State != CouponState.Reserved || OrderNo != orderNo) return false;
        State = CouponState.Used;
        return true;
    }

    /// <summary>The store takes an unused coupon back. False (nothing changes) unless it is available: one reserved or used is the store's loss.</summary>
    public bool Withdraw()
    {
        if (State != CouponState.Available) return false;
        State = CouponState.Withdrawn;
        return true;
    }

    /// <summary>The order ended without being kept: the coupon is free again. Only the order holding it can return it.</summary>
    public bool Return(string orderNo)
    {
        if (OrderNo != orderNo || State == CouponState.Available) return false;
        State = CouponState.Available;
        OrderNo = null;
        return true;
    }
}

public interface ICouponCampaignRepository
{
    Task<CouponCampaign?> GetAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>False if a campaign with that id exists.</summary>
    Task<bool> CreateAsync(CouponCampaign campaign, CancellationToken cancellationToken);

    /// <summary>Pauses or resumes: the definition and every counter shard's copy, in one batch.</summary>
    Task<bool> TrySetPausedAsync(string campaignId, bool paused, CancellationToken cancellationToken);

    /// <summary>One counter shard with the definition; null if the campaign (or that shard) does not exist.</summary>
    Task<CampaignSlice?> GetSliceAsync(string campaignId, int shard, CancellationToken cancellationToken);

    /// <summary>All campaigns' summaries (one small partition), for the claimable list.</summary>
    Task<IReadOnlyList<CouponCampaign>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One atomic batch in the campaign's partition: a counter shard (under its version) and a claim row that is
    /// unique per member slot (and, when given, an idempotency row or an exchange-code row). Conflict tells which failed.
    /// </summary>
    Task<ClaimWrite> TryClaimAsync(CampaignSlice slice, string openId, int slot, string couponId, DateTimeOffset now,
        string? idempotencyKey, string? exchangeCode, CancellationToken cancellationToken);

    /// <summary>The coupon ids of a member's claims in a campaign (for repairing a wallet write that failed).</summary>
    Task<IReadOnlyList<string>> ClaimedCouponIdsAsync(string campaignId, string openId, CancellationToken cancellationToken);

    /// <summary>The coupon an automatic issuance's key was claimed for, if any: one point read.</summary>
    Task<string?> CouponIdForKeyAsync(string campaignId, string idempotencyKey, CancellationToken cancellationToken);

    Task AddCodesAsync(string campaignId, IReadOnlyList<string> codes, CancellationToken cancellationToken);

    /// <summary>Whether the code was generated for the campaign; whether it is used is settled by the claim batch.</summary>
    Task<bool> CodeExistsAsync(string campaignId, string code, CancellationToken cancellationToken);
}

public enum ClaimWrite
{
    Written,
    CampaignChanged,
    SlotTaken,
    AlreadyIssuedForKey,
    CodeAlreadyRedeemed,
}

public interface ICouponRepository
{
    Task<Coupon?> GetAsync(string openId, string couponId, CancellationToken cancellationToken);

    /// <summary>Writes an issued coupon into the member's partition; writing the same coupon twice is harmless.</summary>
    Task PutIfAbsentAsync(Coupon coupon, CancellationToken cancellationToken);

    Task<IReadOnlyList<Coupon>> ListAsync(string openId, CancellationToken cancellationToken);

    /// <summary>Saves a state change, conditional on the version read; false if it changed meanwhile.</summary>
    Task<bool> TrySaveAsync(Coupon coupon, CancellationToken cancellationToken);
}
