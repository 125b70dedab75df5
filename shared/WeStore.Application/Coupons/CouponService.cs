using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Auth;
using WeStore.Domain.Common;
using WeStore.Domain.Coupons;

namespace WeStore.Application.Coupons;

public sealed class CouponOptions
{
    public const string Section = "Coupons";

    /// <summary>Issued once to every new member on first login (a campaign with issueOn "welcome").</summary>
    public string? WelcomeCampaignId { get; set; }

    /// <summary>Issued after each paid order, once per order (a campaign with issueOn "postPurchase").</summary>
    public string? PostPurchaseCampaignId { get; set; }
}

public sealed record CouponView(
    string CouponId, string CampaignId, string Name, string Type, long AmountOff, int PercentOff, long MaxDiscount, long MinSpend,
    IReadOnlyList<string> SkuIds, IReadOnlyList<string> ProductIds, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, string State, string? OrderNo)
{
    public static CouponView From(Coupon c, DateTimeOffset now) => new(
        c.Id, c.CampaignId, c.Name, c.Terms.Type.ToString().ToLowerInvariant(), c.Terms.AmountOff, c.Terms.PercentOff, c.Terms.MaxDiscount,
        c.Terms.MinSpend, c.Terms.SkuIds, c.Terms.ProductIds, c.ValidFrom, c.ValidTo, c.DisplayState(now), c.OrderNo);
}

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

public sealed record WalletView(IReadOnlyList<CouponView> Available, IReadOnlyList<CouponView> Reserved, IReadOnlyList<CouponView> Used, IReadOnlyList<CouponView> Expired);

/// <summary>
/// Campaigns and the coupons they issue. Issuing is one atomic batch in the campaign's partition (counter under its
/// version + a claim row unique per member slot), so total stock and per-member limits hold under any concurrency;
/// the coupon is then written to the member's partition under an id derived from (campaign, member, slot), so a
/// second write, or a repair after a failed one, lands on the same row.
/// </summary>
public sealed class CouponService(
    ICouponCampaignRepository campaigns,
    ICouponRepository coupons,
    IOptions<CouponOptions> options,
    TimeProvider time,
    ILogger<CouponService> logger)
{
    private const int MaxConflicts = 200;

    // Per campaign, facts that never change once seen: its shard count (fixed at creation) and which shards are
    // empty (stock is never added back). Knowing them saves a read per claim on small or nearly spent campaigns.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ShardHints> _hints = new(StringComparer.Ordinal);

    private sealed class ShardHints(int shards)
    {
        public int Shards { get; } = shards;

        public System.Collections.Concurrent.ConcurrentDictionary<int, bool> Empty { get; } = new();

        public int PickStart()
        {
            var open = Enumerable.Range(0, Shards).Where(i => !Empty.ContainsKey(i)).ToArray();
            return open.Length == 0 ? 0 : open[Random.Shared.Next(open.Length)];
        }
    }
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task<Result<CampaignView>> CreateAsync(CouponCampaign campaign, CancellationToken cancellationToken)
    {
        return await campaigns.CreateAsync(campaign, cancellationToken)
            ? CampaignView.From(campaign)
            : Error.Conflict("campaign_exists", $"A campaign with id {campaign.Id} already exists.");
    }

    public static string NewCampaignId() => "c" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 11);

    public async Task<Result<CampaignView>> GetAsync(string campaignId, CancellationToken cancellationToken)
        => await campaigns.GetAsync(campaignId, cancellationToken) is { } c ? CampaignView.From(c) : Error.NotFound("campaign_not_found", "No such campaign.");

    public async Task<Result<CampaignView>> SetPausedAsync(string campaignId, bool paused, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            if (await campaigns.GetAsync(campaignId, cancellationToken) is null) return Error.NotFound("campaign_not_found", "No such campaign.");
            if (await campaigns.TrySetPausedAsync(campaignId, paused, cancellationToken)) return CampaignView.From((await campaigns.GetAsync(campaignId, cancellationToken))!);
        }

        return Error.Conflict("campaign_busy", "The campaign is changing; try again.");
    }

    /// <summary>Campaigns a member can claim by hand right now.</summary>
    public async Task<IReadOnlyList<CampaignView>> ListClaimableAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await campaigns.ListAsync(cancellationToken))
            .Where(c => c.IssueOn == IssueOn.Claim && !c.Paused && c.InClaimWindow(now) && (c.ValidTo is null || c.ValidTo > now))
            .OrderBy(c => c.CreatedAt).Select(CampaignView.From).ToList();
    }

    /// <summary>A member claims a coupon by hand.</summary>
    public Task<Result<CouponView>> ClaimAsync(MemberSession member, string campaignId, CancellationToken cancellationToken)
        => IssueAsync(campaignId, IssueOn.Claim, member.OpenId, idempotencyKey: null, exchangeCode: null, cancellationToken);

    /// <summary>Exchange codes: "{campaignId}-{12 random characters}", single use.</summary>
    public async Task<Result<IReadOnlyList<string>>> GenerateCodesAsync(string campaignId, int count, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.GetAsync(campaignId, cancellationToken);
        if (campaign is null) return Error.NotFound("campaign_not_found", "No such campaign.");
        if (campaign.IssueOn != IssueOn.Code) return Error.Invalid("not_a_code_campaign", "Codes can only be generated for a campaign issued by code.");
        var codes = Enumerable.Range(0, count).Select(_ => campaignId + "-" + RandomNumberGenerator.GetString(CodeAlphabet, 12)).ToList();
        await campaigns.AddCodesAsync(campaignId, codes, cancellationToken);
        return codes;
    }

    public async Task<Result<CouponView>> RedeemCodeAsync(MemberSession member, string code, CancellationToken cancellationToken)
    {
        var dash = code.LastIndexOf('-');
        var campaignId = dash > 0 ? code[..dash] : string.Empty;
        if (campaignId.Length == 0 || !await campaigns.CodeExistsAsync(campaignId, code, cancellationToken))
        {
            return Error.NotFound("code_not_found", "This exchange code is not valid.");
        }

        return await IssueAsync(campaignId, IssueOn.Code, member.OpenId, idempotencyKey: null, exchangeCode: code, cancellationToken);
    }

    /// <summary>Automatic issuance (welcome, post-purchase, scan), once per <paramref name="idempotencyKey"/>.</summary>
    /// Nobody retries these but us: a storage failure is retried here (the key makes a repeat harmless, and a claim
    /// applied whose answer was lost is found by its key and delivered to the wallet).
    public async Task IssueAutomaticallyAsync(string campaignId, string openId, string idempotencyKey, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await IssueAsync(campaignId, issueOn: null, openId, idempotencyKey, exchangeCode: null, cancellationToken);
                if (!result.IsSuccess) logger.LogInformation("No {CampaignId} coupon issued: {Reason}", campaignId, result.Error!.Code);
                return;
            }
            catch (Exception e) when (attempt < MaxAutomaticAttempts && !cancellationToken.IsCancellationRequested && (e is TaskCanceledException || e is not OperationCanceledException))
            {
                logger.LogWarning(e, "Issuing a {CampaignId} coupon failed (attempt {Attempt}); retrying", campaignId, attempt);
                await Task.Delay(200 * attempt, cancellationToken);
            }
        }
    }

    private const int MaxAutomaticAttempts = 3;

    public Task IssueWelcomeAsync(string openId, CancellationToken cancellationToken)
        => options.Value.WelcomeCampaignId is { Length: > 0 } id ? IssueAutomaticallyAsync(id, openId, "welcome|" + openId, cancellationToken) : Task.CompletedTask;

    public Task IssuePostPurchaseAsync(string openId, string orderNo, CancellationToken cancellationToken)
        => options.Value.PostPurchaseCampaignId is { Length: > 0 } id ? IssueAutomaticallyAsync(id, openId, "order|" + orderNo, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Issues one coupon: starting at a random counter shard, takes one from the first shard with stock left, in one
    /// batch with the member's claim row. A lost race on a shard's version re-reads that shard; a taken slot tries the
    /// member's next slot; every shard empty is out of stock.
    /// </summary>
    private async Task<Result<CouponView>> IssueAsync(
        string campaignId, IssueOn? issueOn, string openId, string? idempotencyKey, string? exchangeCode, CancellationToken cancellationToken)
    {
        _hints.TryGetValue(campaignId, out var hints);
        var start = hints?.PickStart() ?? 0; // shard 0 always exists; it tells the shard count
        var slice = await campaigns.GetSliceAsync(campaignId, start, cancellationToken);
        if (slice is null) return Error.NotFound("campaign_not_found", "No such campaign.");
        var campaign = slice.Campaign;
        hints ??= _hints.GetOrAdd(campaignId, _ => new ShardHints(campaign.Shards));
        if (issueOn is { } expected && slice.Campaign.IssueOn != expected)
        {
            return Error.Forbidden("not_claimable", "This campaign's coupons are not issued this way.");
        }

        var shards = campaign.Shards;
        for (var visited = 0; visited < shards; visited++)
        {
            var shard = (start + visited) % shards;
            if (slice is null && hints.Empty.ContainsKey(shard)) continue;
            for (var attempt = 0; attempt < MaxConflicts; attempt++)
            {
                slice ??= await campaigns.GetSliceAsync(campaignId, shard, cancellationToken);
                if (slice is null) break;
                var now = time.GetUtcNow();
                if (slice.Campaign.RefusalAt(now) is { } why) return await StoppedAsync(Error.Conflict("not_claimable_now", $"The campaign is {why}."));
                if (slice.Remaining <= 0)
                {
                    hints.Empty.TryAdd(shard, true);
                    slice = null;
                    break;
                }

                var outcome = await TryClaimAnySlotAsync(slice, openId, now, idempotencyKey, exchangeCode, cancellationToken);
                if (outcome is not null) return outcome.Value;

                // Another claim took this shard's version first: read it again, with a little jitter.
                await Task.Delay(Random.Shared.Next(1, 3 + Math.Min(attempt, 15)), cancellationToken);
                slice = await campaigns.GetSliceAsync(campaignId, shard, cancellationToken);
            }
        }

        return await StoppedAsync(Error.Conflict("out_of_stock", "The campaign has no coupons left."));

        // An automatic issuance's earlier attempt may have had its claim applied and its answer lost, and the campaign
        // stopped issuing since (paused, over, or that claim took its last unit). The claim is the member's: deliver it.
        async Task<Result<CouponView>> StoppedAsync(Error error)
        {
            if (idempotencyKey is not null) await RepairKeyedClaimAsync(campaign, openId, idempotencyKey, cancellationToken);
            return error;
        }
    }

    /// <summary>The result, or null when the shard changed under us and the claim should be retried.</summary>
    private async Task<Result<CouponView>?> TryClaimAnySlotAsync(
        CampaignSlice slice, string openId, DateTimeOffset now, string? idempotencyKey, string? exchangeCode, CancellationToken cancellationToken)
    {
        var campaign = slice.Campaign;
        for (var slot = 1; slot <= campaign.PerMemberLimit; slot++)
        {
            var couponId = CouponId(campaign.Id, openId, slot);
            switch (await campaigns.TryClaimAsync(slice, openId, slot, couponId, now, idempotencyKey, exchangeCode, cancellationToken))
            {
                case ClaimWrite.Written:
                    var coupon = Coupon.Issue(couponId, openId, campaign, now);
                    await coupons.PutIfAbsentAsync(coupon, cancellationToken);
                    WeStore.Application.Telemetry.WeStoreTelemetry.CouponsClaimed.Add(1, new KeyValuePair<string, object?>("issue_on", campaign.IssueOn.ToString()));
                    return CouponView.From(coupon, now);
                case ClaimWrite.SlotTaken:
                    continue;
                case ClaimWrite.AlreadyIssuedForKey:
                    // Possibly by an attempt whose claim was applied and whose wallet write never happened.
                    await RepairKeyedClaimAsync(campaign, openId, idempotencyKey!, cancellationToken);
                    return Error.Conflict("already_issued", "This coupon was already issued.");
                case ClaimWrite.CodeAlreadyRedeemed:
                    return Error.Conflict("code_redeemed", "This exchange code has already been used.");
                default:
                    return null;
            }
        }

        await RepairWalletAsync(campaign, openId, cancellationToken);
        return Error.Conflict("limit_reached", $"At most {campaign.PerMemberLimit} per member.");
    }

    /// <summary>Claims whose wallet write failed left claim rows without coupons: write the coupons now.</summary>
    private async Task RepairWalletAsync(CouponCampaign campaign, string openId, CancellationToken cancellationToken)
    {
        foreach (var couponId in await campaigns.ClaimedCouponIdsAsync(campaign.Id, openId, cancellationToken))
        {
            await RepairCouponAsync(campaign, openId, couponId, cancellationToken);
        }
    }

    /// <summary>The same for the one claim an automatic issuance's key may have made: a point read, not a query.</summary>
    private async Task RepairKeyedClaimAsync(CouponCampaign campaign, string openId, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (await campaigns.CouponIdForKeyAsync(campaign.Id, idempotencyKey, cancellationToken) is { } couponId)
        {
            await RepairCouponAsync(campaign, openId, couponId, cancellationToken);
        }
    }

    private async Task RepairCouponAsync(CouponCampaign campaign, string openId, string couponId, CancellationToken cancellationToken)
    {
        if (await coupons.GetAsync(openId, couponId, cancellationToken) is null)
        {
            logger.LogWarning("Repairing coupon {CouponId} of campaign {CampaignId}, claimed but missing from the wallet", couponId, campaign.Id);
            await coupons.PutIfAbsentAsync(Coupon.Issue(couponId, openId, campaign, time.GetUtcNow()), cancellationToken);
        }
    }

    public async Task<WalletView> WalletAsync(MemberSession member, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var views = (await coupons.ListAsync(member.OpenId, cancellationToken)).OrderBy(c => c.ValidTo).Select(c => CouponView.From(c, now)).ToList();
        return new WalletView(
            views.Where(v => v.State is "available" or "notYetValid").ToList(),
            views.Where(v => v.State == "reserved").ToList(),
            views.Where(v => v.State == "used").ToList(),
            views.Where(v => v.State == "expired").ToList());
    }

    /// <summary>The order was paid: its coupon is spent.</summary>
    public Task UseAsync(string openId, string couponId, string orderNo, CancellationToken cancellationToken)
        => ChangeAsync(openId, couponId, c => c.Use(orderNo), cancellationToken);

    /// <summary>The order closed, was cancelled or fully refunded: its coupon is free again.</summary>
    public Task ReturnAsync(string openId, string couponId, string orderNo, CancellationToken cancellationToken)
        => ChangeAsync(openId, couponId, c => c.Return(orderNo), cancellationToken);

    private async Task ChangeAsync(string openId, string couponId, Func<Coupon, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var coupon = await coupons.GetAsync(openId, couponId, cancellationToken);
            if (coupon is null || !change(coupon)) return;
            if (await coupons.TrySaveAsync(coupon, cancellationToken)) return;
        }

        throw new InvalidOperationException($"Coupon {couponId} kept changing.");
    }

    public static string CouponId(string campaignId, string openId, int slot)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{campaignId}\n{openId}\n{slot}"));
        return "cp" + Convert.ToHexString(hash)[..22].ToLowerInvariant();
    }
}
