using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Coupons;
using WeStore.Application.Fulfilment;
using WeStore.Application.Loyalty;
using WeStore.Application.Payments;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.Domain.Coupons;
using WeStore.Domain.Orders;
using WeStore.Domain.Referrals;

namespace WeStore.Application.Referrals;

/// <summary>
/// A referrer's reward: issued when a referred member's first order placed after the binding completes (after the
/// after-sale window, never at payment), once per referred member: the coupon campaign and the points the settings
/// name, each idempotent by the referred member. Refunded in full afterwards, the order takes it back: the points
/// through the points claw-back (never below zero, the rest as shortfall), the coupon withdrawn if unused, recorded as
/// the store's loss if it was used or is backing an order.
/// </summary>
public sealed class ReferralRewards(
    IReferralStore store,
    CouponIssuance issuance,
    ICouponCampaignRepository campaigns,
    CouponWallet wallet,
    LoyaltyService loyalty,
    IAttributionCounters counters,
    IOptions<ReferralOptions> options,
    TimeProvider time,
    ILogger<ReferralRewards> logger) : IOrderCompletedStep, IRefundOutcomeListener
{
    public static string RewardKey(string referredOpenId) => "referral|" + referredOpenId;

    /// <summary>The order-completed step.</summary>
    public async Task HandleAsync(Order order, CancellationToken cancellationToken)
    {
        var referral = await store.GetAsync(order.OpenId, cancellationToken);
        if (referral.ReferrerOpenId is not { } referrer || referral.State != RewardState.Pending) return;
        // Only an order placed after the binding (the store's own clock; WeChat Pay's success time is whole seconds).
        if (order.PaidAt is null || order.CreatedAt < referral.BoundAt || order.RefundedAmount >= order.PaidAmount) return;

        var o = options.Value;
        var key = RewardKey(order.OpenId);
        string? couponId = null;
        // Issued before the referral is saved as earned: a crash in between is finished by the redelivered event, and the keys keep it once.
        if (o.RewardCampaignId is { Length: > 0 } campaignId && await issuance.IssueAutomaticallyAsync(campaignId, referrer, key, cancellationToken))
        {
            couponId = await campaigns.CouponIdForKeyAsync(campaignId, key, cancellationToken);
        }

        await loyalty.GrantAsync(referrer, key, o.RewardPoints, cancellationToken);
        var reward = new ReferralReward(order.OrderNo, order.PaidAmount, couponId, Math.Max(0, o.RewardPoints), time.GetUtcNow());
        var earned = await Optimistic.RetryAsync<MemberReferral?>("The member's referral", async attempt =>
        {
            if (attempt > 0) referral = await store.GetAsync(order.OpenId, cancellationToken);
            if (!referral.Earn(reward)) return (MemberReferral?)null;
            return await store.TrySaveAsync(referral, cancellationToken) ? referral : Attempt<MemberReferral?>.Again;
        }, cancellationToken);
        if (earned is null) return;

        await store.SaveReferredAsync(referrer, ReferralService.Listed(earned, null) with { Label = await LabelAsync(referrer, order.OpenId, cancellationToken) }, cancellationToken);
        await counters.AddOnceAsync(BusinessCalendar.DayKey(reward.At), ReferralService.ForReferrer(earned.ReferrerCode!), "rr|" + order.OpenId,
            new AttributionCounts(Orders: 1, PaidOrders: 1, PaidGmv: order.PaidAmount), cancellationToken);
        logger.LogInformation("Order {OrderNo} completed: its referrer's reward issued ({Points} points, coupon {Coupon})", order.OrderNo, reward.Points, couponId is not null);
    }

    /// <summary>The refund listener: a rewarded order refunded in full takes the reward back.</summary>
    public async Task OnRefundAsync(Order order, string outRefundNo, RefundVerdict verdict, CancellationToken cancellationToken)
    {
        if (verdict != RefundVerdict.Succeeded || order.Status != OrderStatus.Refunded) return;
        var referral = await store.GetAsync(order.OpenId, cancellationToken);
        if (referral.State != RewardState.Earned || referral.Reward?.OrderNo != order.OrderNo || referral.ReferrerOpenId is not { } referrer) return;

        var key = RewardKey(order.OpenId);
        var withdrawn = false;
        var loss = false;
        if (referral.Reward.CouponId is { } couponId)
        {
            var outcome = await wallet.WithdrawAsync(referrer, couponId, cancellationToken);
            withdrawn = outcome == true;
            loss = outcome == false;
        }

        var taken = await loyalty.RevokeAsync(referrer, key, cancellationToken);
        var clawed = await Optimistic.RetryAsync<MemberReferral?>("The member's referral", async attempt =>
        {
            if (attempt > 0) referral = await store.GetAsync(order.OpenId, cancellationToken);
            if (!referral.ClawBack(order.OrderNo, time.GetUtcNow(), withdrawn, loss, taken)) return (MemberReferral?)null;
            return await store.TrySaveAsync(referral, cancellationToken) ? referral : Attempt<MemberReferral?>.Again;
        }, cancellationToken);
        if (clawed is null) return;

        await store.SaveReferredAsync(referrer, ReferralService.Listed(clawed, null) with { Label = await LabelAsync(referrer, order.OpenId, cancellationToken) }, cancellationToken);
        if (loss) logger.LogWarning("Order {OrderNo} refunded: its referrer's reward coupon was already used, recorded as a loss", order.OrderNo);
        logger.LogInformation("Order {OrderNo} refunded: its referrer's reward taken back ({Points} points)", order.OrderNo, taken);
    }

    /// <summary>The label the referrer's list already shows for the member (kept as it was when bound).</summary>
    private async Task<string> LabelAsync(string referrer, string openId, CancellationToken cancellationToken)
        => (await store.GetReferredAsync(referrer, openId, cancellationToken))?.Label ?? ReferralService.Listed(MemberReferral.New(openId), null).Label;
}
