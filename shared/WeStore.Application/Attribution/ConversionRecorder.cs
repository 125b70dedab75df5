using Microsoft.Extensions.Logging;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.Domain.Orders;

namespace WeStore.Application.Attribution;

/// <summary>
/// Credits an attributed order to its last touch's code, on the day the order was placed, once per order number:
/// a paid order adds an order, a paid order and its paid amount; an order that closes unpaid adds an order only.
/// Orders are counted when they settle, so the order path pays nothing for the report.
/// </summary>
public sealed class ConversionRecorder(IAttributionCounters counters, ILogger<ConversionRecorder> logger)
{
    public async Task RecordPaidAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.Attribution.Last is not { } touch) return;
        var added = await counters.AddOnceAsync(BusinessCalendar.DayKey(order.CreatedAt), CounterKey.For(touch), order.OrderNo,
            new AttributionCounts(Orders: 1, PaidOrders: 1, PaidGmv: order.PaidAmount), cancellationToken);
        if (added) logger.LogInformation("Order {OrderNo} converted for QR code {SceneId}", order.OrderNo, touch.SceneId);
    }

    public async Task RecordUnpaidAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.Attribution.Last is not { } touch) return;
        await counters.AddOnceAsync(BusinessCalendar.DayKey(order.CreatedAt), CounterKey.For(touch), order.OrderNo, new AttributionCounts(Orders: 1), cancellationToken);
    }
}
