using WeStore.Application.Attribution;
using WeStore.Application.Coupons;
using WeStore.Application.Loyalty;
using WeStore.Domain.Catalog;
using WeStore.Domain.Orders;

namespace WeStore.Application.Orders;

/// <summary>
/// Gives back what an order that ended without (acceptable) payment held: its stock holds, its coupon, its points,
/// its group-buy seat, and counts it as an unconverted order. The one routine for every way such an order ends (timeout, cancel, money
/// it could not take); each step is idempotent, so a repeat changes nothing.
/// </summary>
public sealed class UnpaidOrderRelease(
    IStockRepository stock, CouponWallet wallet, LoyaltyService loyalty, ConversionRecorder conversions, IOrderIndex index, WeStore.Application.GroupBuys.TeamSeats seats)
{
    public async Task ReleaseAsync(Order order, CancellationToken cancellationToken)
    {
        // Findable by its number, so an operator shipping it is told it is closed (409), not that it does not exist.
        await index.SyncAsync(order, previous: null, cancellationToken);
        await ReleaseStockAsync(order.OrderNo, order.Lines.Select(l => l.SkuId), cancellationToken);
        if (order.CouponId is { } couponId) await wallet.ReturnAsync(order.OpenId, couponId, order.OrderNo, cancellationToken);
        await loyalty.ReleaseAsync(order, cancellationToken);
        if (order.Team is { } team) await seats.FreeAsync(team.TeamId, order.OpenId, order.OrderNo, cancellationToken, team.GroupBuyId);
        await conversions.RecordUnpaidAsync(order, cancellationToken);
    }

    /// <summary>A group-buy seat taken by an attempt that never wrote its order.</summary>
    public Task FreeSeatAsync(string teamId, string openId, string orderNo, CancellationToken cancellationToken)
        => seats.FreeAsync(teamId, openId, orderNo, cancellationToken);

    /// <summary>Stock only: for an attempt that held stock and never wrote its order.</summary>
    public async Task ReleaseStockAsync(string orderNo, IEnumerable<string> skuIds, CancellationToken cancellationToken)
    {
        foreach (var skuId in skuIds.Distinct(StringComparer.Ordinal))
        {
            await stock.ReleaseAsync(orderNo, skuId, cancellationToken);
        }
    }
}
