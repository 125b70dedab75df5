using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Auth;
using WeStore.Application.Telemetry;
using WeStore.Domain.Common;
using WeStore.Domain.Coupons;

namespace WeStore.Application.Coupons;

/// <summary>
/// Issuing coupons: claimed by hand, redeemed with a code, or issued automatically (welcome, post-purchase, scan,
/// and later channels) once per idempotency key. Issuing is one atomic batch in the campaign's partition (a counter
/// shard under its version + a claim row unique per member slot), so total stock and per-member limits hold under
/// any concurrency; the coupon is then written to the member's partition under an id derived from (campaign, member,
/// slot), so a second write, or a repair after a failed one, lands on the same row. A singleton: it remembers each
/// campaign's shard count and which shards are empty.
/// </summary>
public sealed class CouponIssuance(
    ICouponCampaignRepository campaigns,
    ICouponRepository coupons,
    IOptions<CouponOptions> options,
    WeStore.Application.Segments.MemberFactsNotifier facts,
    TimeProvider time,
    ILogger<CouponIssuance> logger)
{
    private const int MaxAutomaticAttempts = 3;

    // Per campaign, facts that never change once seen: its shard count (fixed at creation) and which shards are
    // empty (stock is never added back). Knowing them saves a read per claim on small or nearly spent campaigns.
    private readonly ConcurrentDictionary<string, ShardHints> _hints = new(StringComparer.Ordinal);

    /// <summary>A member claims a coupon by hand.</summary>
    public Task<Result<CouponView>> ClaimAsync(MemberSession member, string campaignId, CancellationToken cancellationToken)
        => IssueAsync(campaignId, IssueOn.Claim, member.OpenId, idempotencyKey: null, exchangeCode: null, cancellationToken);

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

    /// <summary>
    /// Automatic issuance (welcome, post-purchase, scan), once per <paramref name="idempotencyKey"/>. Nobody retries
    /// these but us: a storage failure is retried here (the key makes a repeat harmless, and a claim applied whose
    /// answer was lost is found by its key and delivered to the wallet).
    /// </summary>
    public async Task<bool> IssueAutomaticallyAsync(string campaignId, string openId, string idempotencyKey, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await IssueAsync(campaignId, issueOn: null, openId, idempotencyKey, exchangeCode: null, cancellationToken);
                if (!result.IsSuccess) logger.LogInformation("No {CampaignId} coupon issued: {Reason}", campaignId, result.Error!.Code);
                return result.IsSuccess;
            }
            catch (Exception e) when (attempt < MaxAutomaticAttempts && !cancellationToken.IsCancellationRequested && (e is TaskCanceledException || e is not OperationCanceledException))
            {
                logger.LogWarning(e, "Issuing a {CampaignId} coupon failed (attempt {Attempt}); retrying", campaignId, attempt);
                await Task.Delay(200 * attempt, cancellationToken);
            }
        }
    }

    public Task IssueWelcomeAsync(string openId, CancellationToken cancellationToken)
        => options.Value.WelcomeCampaignId is { Length: > 0 } id ? IssueAutomaticallyAsync(id, openId, "welcome|" + openId, cancellationToken) : Task.CompletedTask;

    public Task IssuePostPurchaseAsync(string openId, string orderNo, CancellationToken cancellationToken)
        => options.Value.PostPurchaseCampaignId is { Length: > 0 } id ? IssueAutomaticallyAsync(id, openId, "order|" + orderNo, cancellationToken) : Task.CompletedTask;

    public static string CouponId(string campaignId, string openId, int slot)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{campaignId}\n{openId}\n{slot}"));
        return "cp" + Convert.ToHexString(hash)[..22].ToLowerInvariant();
    }

    /// <summary>
    /// Issues one coupon: starting at a random counter shard, takes one from the first shard with stock left, in one
    /// batch with the member's claim row. A lost race on a shard's version re-reads that shard; a taken slot tries the
    /// member's next slot; every shard empty is out of stock.
    /// </summary>
    private async Task<Result<CouponView>> IssueAsync(
        string campaignId, IssueOn? issueOn, string openId, string? idempotencyKey, string? exchangeCode, CancellationToken cancellationToken)
    {
        var result = await IssueCoreAsync(campaignId, issueOn, openId, idempotencyKey, exchangeCode, cancellationToken);
        // The member's unused coupons are a segment fact: the wallet changed (a repeat of a keyed issue changes nothing, and says so once more).
        if (result.IsSuccess) await facts.NotifyAsync(new(openId, WeStore.Application.Segments.FactChanges.Coupons, time.GetUtcNow(), result.Value!.CouponId), cancellationToken);
        return result;
    }

    private async Task<Result<CouponView>> IssueCoreAsync(
        string campaignId, IssueOn? issueOn, string openId, string? idempotencyKey, string? exchangeCode, CancellationToken cancellationToken)
    {
        _hints.TryGetValue(campaignId, out var hints);
        var start = hints?.PickStart() ?? 0; // shard 0 always exists; it tells the shard count
        var slice = await campaigns.GetSliceAsync(campaignId, start, cancellationToken);
        if (slice is null) return Error.NotFound("campaign_not_found", "No such campaign.");
        var campaign = slice.Campaign;
        hints ??= _hints.GetOrAdd(campaignId, _ => new ShardHints(campaignId, campaign.Shards));
        if (issueOn is { } expected && campaign.IssueOn != expected)
        {
            return Error.Forbidden("not_claimable", "This campaign's coupons are not issued this way.");
        }

        for (var visited = 0; visited < campaign.Shards; visited++)
        {
            var shard = (start + visited) % campaign.Shards;
            if (slice is null && hints.Empty.ContainsKey(shard)) continue;
            var outcome = await ClaimFromShardAsync(slice, shard, hints, openId, idempotencyKey, exchangeCode, cancellationToken);
            slice = null;
            if (outcome is { } done) return done.IsSuccess ? done : await StoppedAsync(done.Error!);
        }

        return await StoppedAsync(Error.Conflict("out_of_stock", "The campaign has no coupons left."));

        // An automatic issuance's earlier attempt may have had its claim applied and its answer lost, and the campaign
        // stopped issuing since (paused, over, or that claim took its last unit). The claim is the member's: deliver it.
        async Task<Result<CouponView>> StoppedAsync(Error error)
        {
            if (idempotencyKey is not null && error.Code is "not_claimable_now" or "out_of_stock")
            {
                await RepairKeyedClaimAsync(campaign, openId, idempotencyKey, cancellationToken);
            }

            return error;
        }
    }

    /// <summary>A claim from one counter shard: the result, or null when the shard is gone or empty (try the next).</summary>
    private Task<Result<CouponView>?> ClaimFromShardAsync(
        CampaignSlice? slice, int shard, ShardHints hints, string openId, string? idempotencyKey, string? exchangeCode, CancellationToken cancellationToken)
        => Optimistic.RetryAsync<Result<CouponView>?>($"Campaign {hints.CampaignId} shard {shard}", async _ =>
        {
            slice ??= await campaigns.GetSliceAsync(hints.CampaignId, shard, cancellationToken);
            if (slice is null) return Done(null);
            var now = time.GetUtcNow();
            if (slice.Campaign.RefusalAt(now) is { } why) return Done(Error.Conflict("not_claimable_now", $"The campaign is {why}."));
            if (slice.Remaining <= 0)
            {
                hints.Empty.TryAdd(shard, true);
                return Done(null);
            }

            var outcome = await TryClaimAnySlotAsync(slice, openId, now, idempotencyKey, exchangeCode, cancellationToken);
            if (outcome is not null) return Done(outcome);

            // Another claim took this shard's version first: read it again, after a little jitter.
            slice = null;
            return Attempt<Result<CouponView>?>.Again;
        }, cancellationToken, Optimistic.HotRowAttempts, Optimistic.Jitter(2, 17));

    private static Attempt<Result<CouponView>?> Done(Result<CouponView>? result) => result;

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
                    WeStoreTelemetry.CouponsClaimed.Add(1, new KeyValuePair<string, object?>("issue_on", campaign.IssueOn.ToString()));
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

    private sealed class ShardHints(string campaignId, int shards)
    {
        public string CampaignId { get; } = campaignId;

        public int Shards { get; } = shards;

        public ConcurrentDictionary<int, bool> Empty { get; } = new();

        public int PickStart()
        {
            var open = Enumerable.Range(0, Shards).Where(i => !Empty.ContainsKey(i)).ToArray();
            return open.Length == 0 ? 0 : open[Random.Shared.Next(open.Length)];
        }
    }
}
