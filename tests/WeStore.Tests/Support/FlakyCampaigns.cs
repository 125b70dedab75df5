using Microsoft.Extensions.DependencyInjection;
using WeStore.Domain.Coupons;

namespace WeStore.Tests.Support;

/// <summary>
/// The app's campaign repository with its next <paramref name="failures"/> claims failing as storage does in an outage:
/// the first is applied and its answer lost, the rest never reach storage.
/// </summary>
public sealed class FlakyCampaigns(ICouponCampaignRepository inner, int failures) : ICouponCampaignRepository
{
    private readonly int _total = failures;
    private int _failures = failures;

    /// <summary>Replaces the app's registration with this decorator around it.</summary>
    public static void Install(IServiceCollection services, int failures)
    {
        var original = services.Last(d => d.ServiceType == typeof(ICouponCampaignRepository));
        services.AddSingleton<ICouponCampaignRepository>(sp => new FlakyCampaigns((ICouponCampaignRepository)(original.ImplementationFactory?.Invoke(sp)
            ?? original.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)), failures));
    }

    public async Task<ClaimWrite> TryClaimAsync(CampaignSlice slice, string openId, int slot, string couponId, DateTimeOffset now,
        string? idempotencyKey, string? exchangeCode, CancellationToken cancellationToken)
    {
        var left = Interlocked.Decrement(ref _failures);
        if (left < 0) return await inner.TryClaimAsync(slice, openId, slot, couponId, now, idempotencyKey, exchangeCode, cancellationToken);
        if (left == _total - 1) await inner.TryClaimAsync(slice, openId, slot, couponId, now, idempotencyKey, exchangeCode, cancellationToken);
        throw new HttpRequestException("injected: storage unreachable");
    }

    public Task<CouponCampaign?> GetAsync(string campaignId, CancellationToken cancellationToken) => inner.GetAsync(campaignId, cancellationToken);

    public Task<bool> CreateAsync(CouponCampaign campaign, CancellationToken cancellationToken) => inner.CreateAsync(campaign, cancellationToken);

    public Task<bool> TrySetPausedAsync(string campaignId, bool paused, CancellationToken cancellationToken) => inner.TrySetPausedAsync(campaignId, paused, cancellationToken);

    public Task<CampaignSlice?> GetSliceAsync(string campaignId, int shard, CancellationToken cancellationToken) => inner.GetSliceAsync(campaignId, shard, cancellationToken);

    public Task<IReadOnlyList<CouponCampaign>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ClaimedCouponIdsAsync(string campaignId, string openId, CancellationToken cancellationToken)
        => inner.ClaimedCouponIdsAsync(campaignId, openId, cancellationToken);

    public Task<string?> CouponIdForKeyAsync(string campaignId, string idempotencyKey, CancellationToken cancellationToken)
        => inner.CouponIdForKeyAsync(campaignId, idempotencyKey, cancellationToken);

    public Task AddCodesAsync(string campaignId, IReadOnlyList<string> codes, CancellationToken cancellationToken) => inner.AddCodesAsync(campaignId, codes, cancellationToken);

    public Task<bool> CodeExistsAsync(string campaignId, string code, CancellationToken cancellationToken) => inner.CodeExistsAsync(campaignId, code, cancellationToken);
}
