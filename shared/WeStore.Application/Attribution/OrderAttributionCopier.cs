using Microsoft.Extensions.Options;
using WeStore.Domain.Attribution;
using WeStore.Domain.Orders;

namespace WeStore.Application.Attribution;

/// <summary>
/// Copies the member's touches onto an order, as they stood when it was placed. Placing an order reads nothing of
/// the member's (its storage budget is the stock and the order itself); the copy is made with the order's first
/// transition after it (paid, closed, cancelled), one point read of the member's attribution row, issued alongside
/// other work so it adds no latency. The row keeps the journey's recent steps, so scans after placement do not move
/// what the order carries.
/// </summary>
public sealed class OrderAttributionCopier(IMemberAttributionRepository attributions, IOptions<AttributionOptions> options)
{
    /// <summary>Reads what the order should carry; null when the order already has its copy (nothing is read).</summary>
    public async Task<OrderAttribution?> ReadAsync(Order order, CancellationToken cancellationToken)
    {
        if (!order.AttributionPending) return null;
        var member = await attributions.GetAsync(order.OpenId, cancellationToken);
        return member?.AttributionAt(order.CreatedAt, options.Value.Window) ?? OrderAttribution.None;
    }

    /// <summary>Puts a read copy on the order (a no-op if the order, perhaps read again since, already has one).</summary>
    public static void Attach(Order order, OrderAttribution? attribution)
    {
        if (attribution is not null) order.AttachAttribution(attribution);
    }

    /// <summary>Reads and attaches in one go, for paths with nothing else to overlap the read with.</summary>
    public async Task AttachAsync(Order order, CancellationToken cancellationToken) => Attach(order, await ReadAsync(order, cancellationToken));
}
