using WeStore.Domain.AfterSales;

namespace WeStore.Domain.Orders;

/// <summary>
/// An after-sale request as the order holds it: what it claims (lines, amount), whether it is still open, and the
/// refund that pays it. The order keeps these so its own rules (what is left to refund or return, one open request
/// per line) are checked and changed in the same conditional write as the request itself.
/// </summary>
public sealed record OrderAfterSale(string Id, AfterSaleType Type, IReadOnlyList<AfterSaleLine> Lines, long Amount, bool Open, string? OutRefundNo = null);

public enum AfterSaleRefusal
{
    /// <summary>Not paid, or ended without payment.</summary>
    NotPaid,

    /// <summary>Everything paid is refunded or being refunded.</summary>
    NothingLeft,

    /// <summary><c>Fulfilment:AfterSaleDays</c> after receipt have passed (or the order is completed, or the payment is over a year old).</summary>
    WindowClosed,

    /// <summary>Nothing has shipped: only a refund can be asked for.</summary>
    ReturnBeforeShipment,

    UnknownSku,

    /// <summary>More of a SKU than was ordered less what is already refunded or returned (or, for a return, than shipped).</summary>
    QuantityBeyond,

    /// <summary>A request for this line (or a money-only request) is already open.</summary>
    LineOpen,

    /// <summary>More money than was paid less what is refunded, pending or claimed by open requests.</summary>
    AmountBeyond,
}

/// <summary>What <see cref="Order.OpenAfterSale"/> did: the amount claimed, or why nothing was.</summary>
public sealed record AfterSaleOpening(long Amount, AfterSaleRefusal? Refusal, bool Replayed = false)
{
    public bool Opened => Refusal is null;
}

public sealed partial class Order
{
    public IReadOnlyList<OrderAfterSale> AfterSales { get; private set; } = [];

    /// <summary>Open after-sale requests hold back completion.</summary>
    public bool HasOpenAfterSale => AfterSales.Any(a => a.Open);

    /// <summary>What a new after-sale request may still ask for: refundable, less what open requests claim and have not yet asked of WeChat Pay.</summary>
    public long AfterSaleAvailable => RefundableAmount - AfterSales.Where(a => a.Open && !RefundCommitted(a)).Sum(a => a.Amount);

    /// <summary>How many of a SKU can still be claimed: ordered, less refunded or returned, less what open requests claim.</summary>
    public int ClaimableQuantity(string skuId)
        => OrderedQuantity(skuId) - Fulfilment.RefundedQuantity(skuId) - Fulfilment.ReturnedQuantity(skuId) - OpenClaimed(skuId);

    /// <summary>
    /// Claims what a new after-sale request asks for, or refuses (and nothing changes). Within the window after
    /// receipt; a return only once something shipped, and only of what shipped; each line in one open request at a time.
    /// The amount defaults to the lines' share of what was paid.
    /// </summary>
    public AfterSaleOpening OpenAfterSale(string id, AfterSaleType type, IReadOnlyList<AfterSaleLine> lines, long? amount, DateTimeOffset now, TimeSpan window)
    {
        if (AfterSales.FirstOrDefault(a => a.Id == id) is { } existing) return new AfterSaleOpening(existing.Amount, null, Replayed: true);
        if (!HasBeenPaid || PaymentIssue is not null) return Refused(AfterSaleRefusal.NotPaid);
        if (Status == OrderStatus.Refunded) return Refused(AfterSaleRefusal.NothingLeft);
        if (Status == OrderStatus.Completed || (Fulfilment.ReceivedAt is { } received && now > received + window) || (PaidAt is { } paid && now - paid > RefundAge))
        {
            return Refused(AfterSaleRefusal.WindowClosed);
        }

        if (type == AfterSaleType.Return && Fulfilment.Packages.Count == 0) return Refused(AfterSaleRefusal.ReturnBeforeShipment);
        if (lines.Count == 0 && AfterSales.Any(a => a.Open && a.Lines.Count == 0)) return Refused(AfterSaleRefusal.LineOpen);
        foreach (var line in lines)
        {
            if (Lines.All(l => l.SkuId != line.SkuId)) return Refused(AfterSaleRefusal.UnknownSku);
            if (OpenClaimed(line.SkuId) > 0) return Refused(AfterSaleRefusal.LineOpen);
            var limit = type == AfterSaleType.Return
                ? Fulfilment.ShippedQuantity(line.SkuId) - Fulfilment.ReturnedQuantity(line.SkuId)
                : ClaimableQuantity(line.SkuId);
            if (line.Quantity < 1 || line.Quantity > Math.Min(limit, ClaimableQuantity(line.SkuId))) return Refused(AfterSaleRefusal.QuantityBeyond);
        }

        var available = AfterSaleAvailable;
        if (available <= 0) return Refused(AfterSaleRefusal.NothingLeft);
        var asked = amount ?? Math.Min(available, ShareOf(lines));
        if (asked < 1 || asked > available) return Refused(AfterSaleRefusal.AmountBeyond);
        AfterSales = [.. AfterSales, new OrderAfterSale(id, type, lines, asked, Open: true)];
        return new AfterSaleOpening(asked, null);
    }

    /// <summary>The operator approved less than was asked: the claim shrinks to it.</summary>
    public void ResizeAfterSale(string id, long amount)
        => AfterSales = [.. AfterSales.Select(a => a.Id == id && a.Open && a.OutRefundNo is null ? a with { Amount = Math.Min(a.Amount, amount) } : a)];

    /// <summary>Rejected or cancelled: the claim is let go, nothing settled.</summary>
    public void CloseAfterSale(string id) => AfterSales = [.. AfterSales.Select(a => a.Id == id ? a with { Open = false } : a)];

    /// <summary>
    /// The request's money is asked for under <paramref name="outRefundNo"/> (the existing refund rules apply: what is
    /// left, one year, 50 refunds, a minute apart). The claim remembers the number, so a success settles it.
    /// </summary>
    public RefundRequestOutcome RefundAfterSale(string id, string outRefundNo, string reason, DateTimeOffset now)
    {
        var claim = AfterSales.FirstOrDefault(a => a.Id == id) ?? throw new InvalidOperationException($"Order {OrderNo} has no after-sale {id}.");
        if (!claim.Open) return RefundRequestOutcome.NotRefundable;
        var outcome = RequestRefund(outRefundNo, claim.Amount, reason, now);
        if (outcome == RefundRequestOutcome.Requested) AfterSales = [.. AfterSales.Select(a => a.Id == id ? a with { OutRefundNo = outRefundNo } : a)];
        return outcome;
    }

    /// <summary>
    /// The refund of a request succeeded: its claim closes and its lines count as refunded (not yet shipped) or returned
    /// (shipped); an order whose remaining lines are all refunded counts as shipped.
    /// </summary>
    private void SettleAfterSale(string outRefundNo)
    {
        var claim = AfterSales.FirstOrDefault(a => a.OutRefundNo == outRefundNo && a.Open);
        if (claim is null) return;
        var refunded = new Dictionary<string, int>(Fulfilment.RefundedQuantities ?? new Dictionary<string, int>(), StringComparer.Ordinal);
        var returned = new Dictionary<string, int>(Fulfilment.ReturnedQuantities ?? new Dictionary<string, int>(), StringComparer.Ordinal);
        foreach (var line in claim.Lines)
        {
            // What never left the warehouse is no longer to ship; the rest came back (or stays with the buyer, refunded).
            var unshipped = claim.Type == AfterSaleType.Return ? 0 : Math.Min(line.Quantity, ShippableQuantity(line.SkuId));
            if (unshipped > 0) refunded[line.SkuId] = refunded.GetValueOrDefault(line.SkuId) + unshipped;
            if (line.Quantity > unshipped) returned[line.SkuId] = returned.GetValueOrDefault(line.SkuId) + line.Quantity - unshipped;
        }

        Fulfilment = Fulfilment with { RefundedQuantities = refunded, ReturnedQuantities = returned };
        AfterSales = [.. AfterSales.Select(a => a.Id == claim.Id ? a with { Open = false } : a)];
        if (Status == OrderStatus.PartiallyShipped && Lines.All(l => ShippableQuantity(l.SkuId) == 0)) Status = OrderStatus.Shipped;
    }

    private bool RefundCommitted(OrderAfterSale claim)
        => claim.OutRefundNo is { } number && Refunds.Any(r => r.OutRefundNo == number && r.Status != RefundStatus.Failed);

    private int OpenClaimed(string skuId) => AfterSales.Where(a => a.Open).SelectMany(a => a.Lines).Where(l => l.SkuId == skuId).Sum(l => l.Quantity);

    /// <summary>The lines' share of what was paid: their list price times what was paid over the subtotal, rounded down.</summary>
    private long ShareOf(IReadOnlyList<AfterSaleLine> lines)
    {
        if (Amounts.Subtotal <= 0) return 0;
        var list = lines.Sum(l => checked(Lines.First(o => o.SkuId == l.SkuId).UnitPrice * l.Quantity));
        return (long)(new decimal(list) * PaidAmount / Amounts.Subtotal);
    }

    private static AfterSaleOpening Refused(AfterSaleRefusal refusal) => new(0, refusal);
}
