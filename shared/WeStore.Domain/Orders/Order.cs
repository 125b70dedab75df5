using WeStore.Domain.Attribution;

namespace WeStore.Domain.Orders;

public enum OrderStatus
{
    PendingPayment,
    Paid,
    Closed,
    Cancelled,
    Refunded,
    PartiallyRefunded,
    PartiallyShipped,
    Shipped,
    Received,
    Completed,
}

/// <summary>The address object <c>wx.chooseAddress</c> returns.</summary>
public sealed record ShippingAddress(
    string UserName, string TelNumber, string ProvinceName, string CityName, string CountyName, string DetailInfo, string? PostalCode);

/// <summary>One priced line: the unit price is the catalog's at the moment the stock was held.</summary>
public sealed record OrderLine(string SkuId, string ProductId, string Name, long UnitPrice, int Quantity, int Shard)
{
    public long Total => checked(UnitPrice * Quantity);
}

public sealed record OrderAmounts(long Subtotal, long Discount, long Payable);

/// <summary>A group-buy order's team: it ships only once the team is won (a failed team's orders are refunded).</summary>
public sealed record OrderTeam(string GroupBuyId, string TeamId, bool Won = false);

public enum RefundStatus
{
    /// <summary>Asked for (or to be asked for), not final at WeChat Pay: PROCESSING, followed until it ends.</summary>
    Pending,

    Succeeded,

    /// <summary>CLOSED (or refused): the amount can be asked for again, under a new out_refund_no.</summary>
    Failed,

    /// <summary>ABNORMAL: WeChat Pay could not pay it into the buyer's account; not final, the money is still committed.</summary>
    Abnormal,
}

/// <summary>One refund, keyed by its out_refund_no (WeChat Pay refunds each number once).</summary>
public sealed record OrderRefund(string OutRefundNo, long Amount, string Reason, RefundStatus Status, DateTimeOffset RequestedAt);

/// <summary>What <see cref="Order.RequestRefund"/> did.</summary>
public enum RefundRequestOutcome
{
    /// <summary>A new refund is recorded as pending; the order must be saved.</summary>
    Requested,

    /// <summary>This out_refund_no was already requested for this amount: nothing changed.</summary>
    AlreadyRequested,

    /// <summary>This out_refund_no was requested for another amount: refused.</summary>
    NumberReusedForAnotherAmount,

    /// <summary>The order holds no money that can be refunded (unpaid, closed without payment).</summary>
    NotRefundable,

    /// <summary>The amount is not positive, or more than paid less what is already refunded or pending.</summary>
    ExceedsRefundable,

    /// <summary>WeChat Pay refunds a payment for one year only.</summary>
    TooOld,

    /// <summary>WeChat Pay takes at most 50 refunds per payment.</summary>
    TooMany,

    /// <summary>WeChat Pay wants a minute between refund requests on one payment.</summary>
    TooSoon,
}

/// <summary>WeChat Pay's final (or abnormal) word on a refund.</summary>
public enum RefundVerdict
{
    Succeeded,
    Closed,
    Abnormal,
}

/// <summary>Thrown when a transition is not allowed from the order's current state.</summary>
public sealed class IllegalOrderTransitionException(string orderNo, OrderStatus from, string action)
    : InvalidOperationException($"Order {orderNo} cannot {action} while {from}.")
{
    public OrderStatus From { get; } = from;
}

/// <summary>
/// An order in its member's partition. States move only forward through the transition methods:
/// PendingPayment → Paid | Closed (timeout) | Cancelled (by the member); Paid → PartiallyShipped | Shipped → Received
/// → Completed. A refund keeps its meaning at every stage after payment: a partial refund of a paid order not yet
/// shipped makes it PartiallyRefunded (still to ship); once everything paid is refunded the order is Refunded, whatever
/// stage it had reached; a partial refund later on leaves the stage as it is (the refunded amount says it). A payment
/// that arrives after close is not a transition: it is handled (flagged, refunded) by the payment flow.
/// </summary>
public sealed partial class Order
{
    /// <summary>WeChat Pay's refund limits (https://pay.weixin.qq.com/doc/v3/merchant/4012556457).</summary>
    public static readonly TimeSpan RefundAge = TimeSpan.FromDays(365);

    public const int MaxRefunds = 50;

    public static readonly TimeSpan RefundSpacing = TimeSpan.FromMinutes(1);

    private Order(string orderNo, string openId)
    {
        OrderNo = orderNo;
        OpenId = openId;
    }

    public string OrderNo { get; }

    public string OpenId { get; }

    public OrderStatus Status { get; private set; }

    public IReadOnlyList<OrderLine> Lines { get; private set; } = [];

    public OrderAmounts Amounts { get; private set; } = new(0, 0, 0);

    public string? CouponId { get; private set; }

    public ShippingAddress Address { get; private set; } = null!;

    public string? Remark { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public string PrepayId { get; private set; } = string.Empty;

    /// <summary>Hash of the request that created the order: an Idempotency-Key replay must carry the same body.</summary>
    public string RequestHash { get; private set; } = string.Empty;

    /// <summary>The first answer, returned as-is to a replay with the same Idempotency-Key.</summary>
    public string ResponseJson { get; private set; } = string.Empty;

    public string? TransactionId { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? CloseReason { get; private set; }

    /// <summary>Which recording attempt marked the order paid: an attempt whose save was applied but unanswered knows it by this.</summary>
    public string? PaidByAttempt { get; private set; }

    /// <summary>What WeChat Pay actually collected (equals Payable for a normal payment).</summary>
    public long PaidAmount { get; private set; }

    /// <summary>Set when money arrived that this order cannot accept (paid after close, wrong amount).</summary>
    public string? PaymentIssue { get; private set; }

    public IReadOnlyList<OrderRefund> Refunds { get; private set; } = [];

    /// <summary>The member's first and last touch inside the attribution window when the order was placed.</summary>
    public OrderAttribution Attribution { get; private set; } = OrderAttribution.None;

    /// <summary>
    /// True until the attribution is copied onto the order. Placing an order reads nothing of the member's; the copy
    /// (as of the placement time) is made with the order's first transition after it, paid or closed.
    /// </summary>
    public bool AttributionPending { get; private set; }

    /// <summary>Points spent on the order (part of <see cref="OrderAmounts.Discount"/>), and the lots they came from.</summary>
    public long PointsUsed { get; private set; }

    public IReadOnlyList<WeStore.Domain.Loyalty.LotTake> PointsTakes { get; private set; } = [];

    /// <summary>The group-buy team the order holds a seat in, if any.</summary>
    public OrderTeam? Team { get; private set; }

    /// <summary>What was shipped, how, and when it was received and completed.</summary>
    public OrderFulfilment Fulfilment { get; private set; } = OrderFulfilment.None;

    public long RefundedAmount => Refunds.Where(r => r.Status == RefundStatus.Succeeded).Sum(r => r.Amount);

    /// <summary>Refunds that succeeded or may still succeed: what can no longer be refunded again.</summary>
    public long CommittedRefundAmount => Refunds.Where(r => r.Status != RefundStatus.Failed).Sum(r => r.Amount);

    /// <summary>The storage version (ETag) this instance was read at; saves are conditional on it.</summary>
    public string? Version { get; private set; }

    public static Order Place(
        string orderNo, string openId, IReadOnlyList<OrderLine> lines, OrderAmounts amounts, string? couponId,
        ShippingAddress address, string? remark, DateTimeOffset now, DateTimeOffset expiresAt, string prepayId, string requestHash, string responseJson,
        OrderAttribution? attribution = null, long pointsUsed = 0, IReadOnlyList<WeStore.Domain.Loyalty.LotTake>? pointsTakes = null, OrderTeam? team = null)
    {
        if (lines.Count == 0) throw new ArgumentException("An order needs at least one line.", nameof(lines));
        if (amounts.Payable < 1 || amounts.Payable > amounts.Subtotal || amounts.Discount < 0)
        {
            throw new ArgumentException("The amounts are inconsistent.", nameof(amounts));
        }

        return new Order(orderNo, openId)
        {
            Status = OrderStatus.PendingPayment,
            Lines = lines,
            Amounts = amounts,
            CouponId = couponId,
            Address = address,
            Remark = remark,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            PrepayId = prepayId,
            RequestHash = requestHash,
            ResponseJson = responseJson,
            Attribution = attribution ?? OrderAttribution.None,
            AttributionPending = attribution is null,
            PointsUsed = pointsUsed,
            PointsTakes = pointsTakes ?? [],
            Team = team is null ? null : team with { Won = false },
        };
    }

    public static Order Restore(
        string orderNo, string openId, OrderStatus status, IReadOnlyList<OrderLine> lines, OrderAmounts amounts, string? couponId,
        ShippingAddress address, string? remark, DateTimeOffset createdAt, DateTimeOffset expiresAt, string prepayId, string requestHash,
        string responseJson, string? transactionId, DateTimeOffset? paidAt, DateTimeOffset? closedAt, string? closeReason, string? version,
        long paidAmount = 0, string? paymentIssue = null, IReadOnlyList<OrderRefund>? refunds = null, OrderAttribution? attribution = null,
        long pointsUsed = 0, IReadOnlyList<WeStore.Domain.Loyalty.LotTake>? pointsTakes = null, string? paidByAttempt = null,
        bool attributionPending = false, OrderFulfilment? fulfilment = null, IReadOnlyList<OrderAfterSale>? afterSales = null, OrderTeam? team = null)
        => new(orderNo, openId)
        {
            Status = status, Lines = lines, Amounts = amounts, CouponId = couponId, Address = address, Remark = remark,
            CreatedAt = createdAt, ExpiresAt = expiresAt, PrepayId = prepayId, RequestHash = requestHash, ResponseJson = responseJson,
            TransactionId = transactionId, PaidAt = paidAt, ClosedAt = closedAt, CloseReason = closeReason, Version = version,
            PaidAmount = paidAmount, PaymentIssue = paymentIssue, Refunds = refunds ?? [], Attribution = attribution ?? OrderAttribution.None,
            PointsUsed = pointsUsed, PointsTakes = pointsTakes ?? [], PaidByAttempt = paidByAttempt, AttributionPending = attributionPending,
            Fulfilment = fulfilment ?? OrderFulfilment.None, AfterSales = afterSales ?? [], Team = team,
        };

    /// <summary>The storage version a save gave the order, so the next save is conditional on it.</summary>
    public void Saved(string version) => Version = version;

    /// <summary>Copies the member's touches as they stood at placement; once only (a later call changes nothing).</summary>
    public void AttachAttribution(OrderAttribution attribution)
    {
        if (!AttributionPending) return;
        Attribution = attribution;
        AttributionPending = false;
    }

    public void MarkPaid(string transactionId, DateTimeOffset paidAt, string? attemptId = null)
    {
        Require(OrderStatus.PendingPayment, "be marked paid");
        ArgumentException.ThrowIfNullOrEmpty(transactionId);
        Status = OrderStatus.Paid;
        TransactionId = transactionId;
        PaidAt = paidAt;
        PaidByAttempt = attemptId;
        PaidAmount = Amounts.Payable;
    }

    /// <summary>
    /// Money arrived that the order cannot accept: after it was closed or cancelled, or for the wrong amount. The
    /// order is not fulfilled (a pending one is closed) and the payment is kept on record so it can be refunded.
    /// </summary>
    public void RecordStrayPayment(string transactionId, long amount, string issue, DateTimeOffset now)
    {
        if (HasBeenPaid)
        {
            throw new IllegalOrderTransitionException(OrderNo, Status, "take a stray payment");
        }

        ArgumentException.ThrowIfNullOrEmpty(transactionId);
        if (Status == OrderStatus.PendingPayment)
        {
            Status = OrderStatus.Closed;
            ClosedAt = now;
            CloseReason = issue;
        }

        TransactionId = transactionId;
        PaidAt = now;
        PaidAmount = amount;
        PaymentIssue = issue;
    }

    /// <summary>
    /// Records a refund request. A repeat of the same out_refund_no and amount changes nothing; the same number with
    /// another amount, an order that cannot be refunded, or more than is left are refused, and nothing changes.
    /// </summary>
    public RefundRequestOutcome RequestRefund(string outRefundNo, long amount, string reason, DateTimeOffset now)
    {
        var existing = Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo);
        if (existing is not null)
        {
            return existing.Amount == amount ? RefundRequestOutcome.AlreadyRequested : RefundRequestOutcome.NumberReusedForAnotherAmount;
        }

        var refundable = (HasBeenPaid && Status != OrderStatus.Refunded) || (PaymentIssue is not null && TransactionId is not null);
        if (!refundable) return RefundRequestOutcome.NotRefundable;
        if (amount < 1 || amount > RefundableAmount) return RefundRequestOutcome.ExceedsRefundable;
        if (PaidAt is { } paid && now - paid > RefundAge) return RefundRequestOutcome.TooOld;
        if (Refunds.Count >= MaxRefunds) return RefundRequestOutcome.TooMany;
        if (NextRefundAllowedAt is { } next && now < next) return RefundRequestOutcome.TooSoon;

        Refunds = [.. Refunds, new OrderRefund(outRefundNo, amount, reason, RefundStatus.Pending, now)];
        return RefundRequestOutcome.Requested;
    }

    /// <summary>What can still be asked back: the amount paid less every refund that succeeded or may still succeed.</summary>
    public long RefundableAmount => PaidAmount - CommittedRefundAmount;

    /// <summary>When WeChat Pay takes the next refund request on this payment (a minute after the last).</summary>
    public DateTimeOffset? NextRefundAllowedAt => Refunds.Count == 0 ? null : Refunds.Max(r => r.RequestedAt) + RefundSpacing;

    /// <summary>
    /// WeChat Pay's verdict on a refund. Everything paid refunded: the order is Refunded, at whatever stage. A partial
    /// refund of an order not yet shipped makes it PartiallyRefunded; later stages keep their status.
    /// </summary>
    public void CompleteRefund(string outRefundNo, bool succeeded) => CompleteRefund(outRefundNo, succeeded ? RefundVerdict.Succeeded : RefundVerdict.Closed);

    /// <summary>
    /// WeChat Pay's verdict, once: a pending (or abnormal) refund succeeds, closes or turns abnormal; a final one stays
    /// as it is. A success of an after-sale's refund settles that request (<see cref="SettleAfterSale"/>) in the same change.
    /// </summary>
    public void CompleteRefund(string outRefundNo, RefundVerdict verdict)
    {
        var refund = Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo)
            ?? throw new InvalidOperationException($"Order {OrderNo} has no refund {outRefundNo}.");
        if (refund.Status is RefundStatus.Succeeded or RefundStatus.Failed) return;
        if (refund.Status == RefundStatus.Abnormal && verdict == RefundVerdict.Abnormal) return;
        var status = verdict switch
        {
            RefundVerdict.Succeeded => RefundStatus.Succeeded,
            RefundVerdict.Closed => RefundStatus.Failed,
            _ => RefundStatus.Abnormal,
        };
        Refunds = Refunds.Select(r => r.OutRefundNo == outRefundNo ? r with { Status = status } : r).ToList();
        if (verdict != RefundVerdict.Succeeded || !HasBeenPaid || PaymentIssue is not null) return;
        SettleAfterSale(outRefundNo);
        if (RefundedAmount >= PaidAmount) Status = OrderStatus.Refunded;
        else if (Status == OrderStatus.Paid) Status = OrderStatus.PartiallyRefunded;
    }

    /// <summary>An abnormal refund re-applied through WeChat Pay's abnormal-refund API: pending again, under the same number.</summary>
    public bool ReopenAbnormalRefund(string outRefundNo)
    {
        if (Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo)?.Status != RefundStatus.Abnormal) return false;
        Refunds = Refunds.Select(r => r.OutRefundNo == outRefundNo ? r with { Status = RefundStatus.Pending } : r).ToList();
        return true;
    }

    /// <summary>The order's team filled: it may now ship. False if it is in no team or the team is already won.</summary>
    public bool MarkTeamWon()
    {
        if (Team is not { Won: false } team) return false;
        Team = team with { Won = true };
        return true;
    }

    /// <summary>Paid and free to ship: not waiting for its group-buy team to fill.</summary>
    public bool IsReleasedToShip => Team is not { Won: false };

    /// <summary>The payment window passed without payment.</summary>
    public void Close(string reason, DateTimeOffset now)
    {
        Require(OrderStatus.PendingPayment, "be closed");
        Status = OrderStatus.Closed;
        ClosedAt = now;
        CloseReason = reason;
    }

    /// <summary>The member gave up before paying.</summary>
    public void Cancel(DateTimeOffset now)
    {
        Require(OrderStatus.PendingPayment, "be cancelled");
        Status = OrderStatus.Cancelled;
        ClosedAt = now;
        CloseReason = "cancelled by the member";
    }

    public bool IsUnpaidAndOpen => Status == OrderStatus.PendingPayment;

    /// <summary>Paid and accepted, at any stage since (shipped, received, completed, refunded in part or whole).</summary>
    public bool HasBeenPaid => Status is OrderStatus.Paid or OrderStatus.PartiallyRefunded or OrderStatus.Refunded
        or OrderStatus.PartiallyShipped or OrderStatus.Shipped or OrderStatus.Received or OrderStatus.Completed;

    /// <summary>How many of a SKU are still to ship: ordered, less shipped, less refunded by line.</summary>
    public int ShippableQuantity(string skuId)
        => Math.Max(0, OrderedQuantity(skuId) - Fulfilment.ShippedQuantity(skuId) - Fulfilment.RefundedQuantity(skuId));

    public int OrderedQuantity(string skuId) => Lines.Where(l => l.SkuId == skuId).Sum(l => l.Quantity);

    /// <summary>
    /// Records packages leaving the warehouse. Refused (nothing changes) unless the order is paid and not everything is
    /// shipped or on its way back; one logistics type per order (WeChat counts a change as its one re-ship); split
    /// shipping only by express; at most 15 packages in all; no quantity beyond what is still to ship.
    /// </summary>
    public ShipResult Ship(LogisticsType type, IReadOnlyList<NewPackage> packages, DateTimeOffset now, string? requestKey = null, string? requestHash = null)
    {
        if (Status is not (OrderStatus.Paid or OrderStatus.PartiallyRefunded or OrderStatus.PartiallyShipped))
        {
            return ShipResult.Refused(ShipRefusal.NotShippable, $"The order is {Status}.");
        }

        if (RefundableAmount <= 0) return ShipResult.Refused(ShipRefusal.RefundPending, "Everything paid is being refunded.");
        if (!IsReleasedToShip) return ShipResult.Refused(ShipRefusal.TeamNotWon, "The order's group-buy team has not filled yet.");
        if (Fulfilment.Logistics is { } used && used != type)
        {
            return ShipResult.Refused(ShipRefusal.LogisticsTypeChanged, $"The order ships by {used}; WeChat counts a change as its one re-ship.");
        }

        if (packages.Count == 0 || packages.Any(p => p.Items.Count == 0 || p.Items.Any(i => i.Quantity < 1)))
        {
            return ShipResult.Refused(ShipRefusal.EmptyPackage, "Every package holds at least one item.");
        }

        if (Fulfilment.Packages.Count + packages.Count > OrderFulfilment.MaxPackages)
        {
            return ShipResult.Refused(ShipRefusal.TooManyPackages, $"At most {OrderFulfilment.MaxPackages} packages per order.");
        }

        foreach (var sku in packages.SelectMany(p => p.Items).GroupBy(i => i.SkuId, StringComparer.Ordinal))
        {
            if (Lines.All(l => l.SkuId != sku.Key)) return ShipResult.Refused(ShipRefusal.UnknownSku, $"SKU {sku.Key} is not in the order.");
            var shippable = ShippableQuantity(sku.Key);
            if (sku.Sum(i => i.Quantity) > shippable)
            {
                return ShipResult.Refused(ShipRefusal.QuantityBeyondOrdered, $"SKU {sku.Key}: {shippable} left to ship.");
            }
        }

        var added = packages.Select((p, i) => new OrderPackage(
            "P" + (Fulfilment.Packages.Count + i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            p.ExpressCompany, p.TrackingNo, p.Items, now, requestKey, requestHash)).ToList();
        var after = Fulfilment with { Logistics = type, Packages = [.. Fulfilment.Packages, .. added], LastShippedAt = now };
        var complete = Lines.Select(l => l.SkuId).Distinct(StringComparer.Ordinal)
            .All(sku => Lines.Where(l => l.SkuId == sku).Sum(l => l.Quantity) - after.ShippedQuantity(sku) - after.RefundedQuantity(sku) <= 0);
        if (type != LogisticsType.Express && (Fulfilment.Packages.Count > 0 || packages.Count > 1 || !complete))
        {
            return ShipResult.Refused(ShipRefusal.SplitNotExpress, "Only express orders ship in several packages; this one ships everything at once.");
        }

        Fulfilment = after;
        Status = complete ? OrderStatus.Shipped : OrderStatus.PartiallyShipped;
        return ShipResult.Done(added);
    }

    /// <summary>
    /// Receipt, from the buyer's confirmation, WeChat's settlement event or the auto-confirm, whichever comes first:
    /// the first records it, the others change nothing.
    /// </summary>
    public ReceiptOutcome ConfirmReceipt(DateTimeOffset at, ReceiptSource source)
    {
        if (Status is OrderStatus.Received or OrderStatus.Completed) return ReceiptOutcome.AlreadyReceived;
        if (Status != OrderStatus.Shipped) return ReceiptOutcome.NotShipped;
        Status = OrderStatus.Received;
        Fulfilment = Fulfilment with { ReceivedAt = at, ReceiptSource = source };
        return ReceiptOutcome.Recorded;
    }

    /// <summary>The after-sale window closed with nothing open: the order is done. False if it is not received (or already completed).</summary>
    public bool Complete(DateTimeOffset now)
    {
        if (Status != OrderStatus.Received) return false;
        Status = OrderStatus.Completed;
        Fulfilment = Fulfilment with { CompletedAt = now };
        return true;
    }

    public bool IsFinishedWithoutPayment => Status is OrderStatus.Closed or OrderStatus.Cancelled;

    private void Require(OrderStatus expected, string action)
    {
        if (Status != expected) throw new IllegalOrderTransitionException(OrderNo, Status, action);
    }
}
