using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Auth;
using WeStore.Application.Coupons;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;

namespace WeStore.Application.Attribution;

/// <summary>
/// Records a scan: the scene is decoded and looked up (through a short per-instance cache); a known code becomes a
/// touch on the member (one read and one conditional write in the member's partition) and adds to its report counter
/// (coalesced with concurrent scans); an unknown scene is only counted as such. A code with a scan campaign issues
/// its coupon once per member. Storage cost on a warm instance: 2 requests plus a share of one counter write.
/// </summary>
public sealed class ScanService(
    IQrCodeRepository codes,
    IMemberAttributionRepository attributions,
    IAttributionCounters counters,
    CouponIssuance coupons,
    WeStore.Application.Referrals.ReferralService referrals,
    IOptions<WeStore.Application.Referrals.ReferralOptions> referral,
    IOptions<AttributionOptions> options,
    TimeProvider time,
    ILogger<ScanService> logger)
{
    private const int MaxSaveAttempts = 8;
    private const int MaxCachedCodes = 10_000;
    private readonly ConcurrentDictionary<string, (QrCode? Code, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<ScanView> RecordAsync(MemberSession member, string rawScene, int entryScene, CancellationToken cancellationToken)
    {
        using var activity = WeStore.Application.Telemetry.WeStoreTelemetry.Start("scan.record", member.OpenId);
        var now = time.GetUtcNow();
        var day = BusinessCalendar.DayKey(now);
        var scene = Decode(rawScene);
        if (WeStore.Domain.Referrals.ReferralCodes.IsReferral(scene))
        {
            // A member's share scene: the newcomer is bound to its referrer (the rules decide), and the referrer's row counts the scan.
            await referrals.RecordScanAsync(member, scene!, entryScene, cancellationToken);
            return new ScanView(true, scene, "share", referral.Value.SharePage, null, null);
        }

        var code = SceneRules.IsValid(scene) ? await FindAsync(scene!, now, cancellationToken) : null;
        if (code is null)
        {
            // Never echoed or logged as sent: it is the shopper's input and may be hostile.
            logger.LogInformation("Scan of an unknown scene ({Length} characters), entry scene {EntryScene}", rawScene.Length, entryScene);
            await counters.AddAsync(day, CounterKey.UnknownScene, new AttributionCounts(Scans: 1), cancellationToken);
            WeStore.Application.Telemetry.WeStoreTelemetry.Scans.Add(1, new KeyValuePair<string, object?>("channel", Channels.Unknown));
            return new ScanView(false, null, null, null, null, null);
        }

        var window = options.Value.Window;
        var issued = false;
        return await Optimistic.RetryAsync<ScanView>("The member's attribution", async _ =>
        {
            var attribution = await attributions.GetAsync(member.OpenId, cancellationToken) ?? MemberAttribution.New(member.OpenId);
            var outcome = attribution.RecordScan(code, entryScene, now, day, window, member.IsNewMember);
            if (outcome.CouponCampaignToIssue is { } campaignId && !issued)
            {
                // Before the touch is saved, which marks the campaign as issued: a failure here leaves it unmarked,
                // and the retried scan issues it. The idempotency key keeps a repeat from issuing twice.
                await coupons.IssueAutomaticallyAsync(campaignId, member.OpenId, "scan|" + campaignId, cancellationToken);
                issued = true;
            }

            // The same member scanning twice at once: read again and re-apply.
            if (!await attributions.TrySaveAsync(attribution, cancellationToken)) return Attempt<ScanView>.Again;

            await counters.AddAsync(day, CounterKey.For(code), AttributionCounts.ForScan(outcome), cancellationToken);
            WeStore.Application.Telemetry.WeStoreTelemetry.Scans.Add(1, new KeyValuePair<string, object?>("channel", code.Channel));
            return new ScanView(true, code.SceneId, code.Channel, code.Page, TouchView.From(attribution.FirstTouch), TouchView.From(attribution.LastTouch));
        }, cancellationToken, MaxSaveAttempts);
    }

    /// <summary>WeChat hands the page the scene URL-encoded; the Mini Program may or may not have decoded it.</summary>
    public static string? Decode(string raw)
    {
        if (SceneRules.IsValid(raw)) return raw;
        try
        {
            var decoded = Uri.UnescapeDataString(raw);
            return SceneRules.IsValid(decoded) ? decoded : null;
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    private async Task<QrCode?> FindAsync(string sceneId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(sceneId, out var hit) && hit.Until > now) return hit.Code;
        var code = await codes.GetAsync(sceneId, cancellationToken);
        // Unknown scenes are cached briefly too, so a flood of one bogus scene costs one read per instance.
        if (_cache.Count >= MaxCachedCodes) _cache.Clear();
        _cache[sceneId] = (code, now + TimeSpan.FromSeconds(code is null ? 30 : Math.Clamp(options.Value.CodeCacheSeconds, 0, 3600)));
        return code;
    }
}
