using WeStore.Application.Auth;
using WeStore.Domain.Common;
using WeStore.Domain.Coupons;

namespace WeStore.Application.Coupons;

/// <summary>The member's coupons: the wallet view, and the moves an order makes on its coupon (used on payment, returned when it ends unpaid or is refunded whole).</summary>
public sealed class CouponWallet(ICouponRepository coupons, WeStore.Application.Segments.MemberFactsNotifier facts, TimeProvider time)
{
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
    public async Task ReturnAsync(string openId, string couponId, string orderNo, CancellationToken cancellationToken)
    {
        await ChangeAsync(openId, couponId, c => c.Return(orderNo), cancellationToken);
        await facts.NotifyAsync(new(openId, WeStore.Application.Segments.FactChanges.Coupons, time.GetUtcNow(), couponId), cancellationToken);
    }

    /// <summary>
    /// Takes back an unused coupon (a clawed-back referral reward): true if withdrawn (or withdrawn before), false if it
    /// is reserved or used, which the caller records as a loss; null if there is no such coupon.
    /// </summary>
    public async Task<bool?> WithdrawAsync(string openId, string couponId, CancellationToken cancellationToken)
    {
        var outcome = await Optimistic.RetryAsync<bool?>($"Coupon {couponId}", async _ =>
        {
            var coupon = await coupons.GetAsync(openId, couponId, cancellationToken);
            if (coupon is null) return (bool?)null;
            if (coupon.State == CouponState.Withdrawn) return true;
            if (!coupon.Withdraw()) return false;
            return await coupons.TrySaveAsync(coupon, cancellationToken) ? true : Attempt<bool?>.Again;
        }, cancellationToken, Optimistic.HotRowAttempts);
        if (outcome == true) await facts.NotifyAsync(new(openId, WeStore.Application.Segments.FactChanges.Coupons, time.GetUtcNow(), couponId), cancellationToken);
        return outcome;
    }

    private Task ChangeAsync(string openId, string couponId, Func<Coupon, bool> change, CancellationToken cancellationToken)
        => Optimistic.RetryAsync($"Coupon {couponId}", async _ =>
        {
            var coupon = await coupons.GetAsync(openId, couponId, cancellationToken);
            return coupon is null || !change(coupon) || await coupons.TrySaveAsync(coupon, cancellationToken);
        }, cancellationToken, Optimistic.HotRowAttempts);
}
