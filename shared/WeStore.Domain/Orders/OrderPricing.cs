namespace WeStore.Domain.Orders;

/// <summary>
/// The one place an order's money is computed, from catalog prices only. A discount (coupons, points) plugs in as
/// an amount; it is clamped so the payable amount is never below 1 fen and never above the subtotal.
/// </summary>
public static class OrderPricing
{
    public const long MinimumPayable = 1;

    public static OrderAmounts Price(IEnumerable<OrderLine> lines, long discount = 0)
    {
        var subtotal = lines.Aggregate(0L, (sum, line) => checked(sum + line.Total));
        if (subtotal < MinimumPayable) throw new ArgumentException("An order's subtotal must be positive.", nameof(lines));
        var applied = Math.Clamp(discount, 0, subtotal - MinimumPayable);
        return new OrderAmounts(subtotal, applied, subtotal - applied);
    }
}
