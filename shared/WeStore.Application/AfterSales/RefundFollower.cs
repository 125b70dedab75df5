using WeStore.Application.Payments;
using WeStore.Domain.Orders;

namespace WeStore.Application.AfterSales;

/// <summary>
/// The <c>refund-follow</c> consumer: a refund on its order is followed (<see cref="RefundService.FollowAsync"/>); an
/// after-sale request's refund that had to wait its minute, and is not on the order yet, is asked for now.
/// </summary>
public sealed class RefundFollower(RefundService refunds, AfterSaleService afterSales, IOrderRepository orders)
{
    public async Task HandleAsync(RefundFollowMessage message, CancellationToken cancellationToken)
    {
        if (message.AfterSaleId is { } afterSaleId)
        {
            var order = await orders.GetAsync(message.OpenId, message.OrderNo, cancellationToken);
            if (order is not null && order.Refunds.All(r => r.OutRefundNo != message.OutRefundNo))
            {
                await afterSales.RequestDeferredRefundAsync(message.OpenId, afterSaleId, cancellationToken);
                return;
            }
        }

        await refunds.FollowAsync(message, cancellationToken);
    }
}
