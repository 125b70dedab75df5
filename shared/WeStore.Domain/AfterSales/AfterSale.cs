namespace WeStore.Domain.AfterSales;

public enum AfterSaleType
{
    /// <summary>Money back, nothing sent back (before shipping, or goods the buyer keeps).</summary>
    Refund,

    /// <summary>Goods sent back, then money back.</summary>
    Return,
}

public enum AfterSaleStatus
{
    Requested,
    Approved,
    ReturnShipped,
    ReturnReceived,
    Refunding,
    Refunded,
    Rejected,
    Cancelled,

    /// <summary>WeChat Pay could not pay the money back (ABNORMAL: the buyer's card; CLOSED: the funding account): an operator retries.</summary>
    RefundAbnormal,
}

/// <summary>Why a refund of an after-sale request stopped before succeeding.</summary>
public enum RefundProblem
{
    /// <summary>ABNORMAL: retried through WeChat Pay's abnormal-refund API under the same refund.</summary>
    Abnormal,

    /// <summary>CLOSED: the refund failed; a retry asks again under a new out_refund_no.</summary>
    Closed,
}

public sealed record AfterSaleLine(string SkuId, int Quantity);

public sealed record ReturnShipment(string ExpressCompany, string TrackingNo, DateTimeOffset ShippedAt);

/// <summary>What a transition did: moved, already there (a repeat, nothing changed), or refused with why.</summary>
public enum AfterSaleMove
{
    Moved,
    Unchanged,
    Refused,
}

/// <summary>
/// A buyer's after-sale request on one order: a refund only, or a return then a refund. States move only forward:
/// Requested → Approved → (ReturnShipped → ReturnReceived, for a return) → Refunding → Refunded; Requested →
/// Rejected; Requested or Approved → Cancelled (by the buyer, before anything is on its way back); Refunding →
/// RefundAbnormal → Refunding (an operator's retry). The refund's out_refund_no derives from the request and the
/// attempt, so a retry of the same attempt can never refund twice, and only a CLOSED refund gets a new number.
/// </summary>
public sealed class AfterSale
{
    public const int MaxImages = 9;

    private AfterSale(string id, string openId, string orderNo)
    {
        Id = id;
        OpenId = openId;
        OrderNo = orderNo;
    }

    public string Id { get; }

    public string OpenId { get; }

    public string OrderNo { get; }

    public AfterSaleType Type { get; private set; }

    public AfterSaleStatus Status { get; private set; }

    /// <summary>The SKUs and quantities asked for; empty for a money-only request on the order.</summary>
    public IReadOnlyList<AfterSaleLine> Lines { get; private set; } = [];

    public long RequestedAmount { get; private set; }

    /// <summary>What the operator approved (at most the request); the refund's amount.</summary>
    public long? ApprovedAmount { get; private set; }

    public string Reason { get; private set; } = string.Empty;

    public string? Description { get; private set; }

    public IReadOnlyList<string> ImageUrls { get; private set; } = [];

    public string? ReturnAddress { get; private set; }

    public ReturnShipment? Shipment { get; private set; }

    public bool? Restock { get; private set; }

    public string? RejectReason { get; private set; }

    /// <summary>Refund attempts so far (a CLOSED refund ends one); the current refund's number derives from it.</summary>
    public int RefundAttempt { get; private set; }

    public RefundProblem? Problem { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Hash of the request that created it: an Idempotency-Key replay must carry the same body.</summary>
    public string RequestHash { get; private set; } = string.Empty;

    public string? Version { get; private set; }

    /// <summary>Not rejected or cancelled.</summary>
    private bool IsOpenOrRefunded => Status is not (AfterSaleStatus.Rejected or AfterSaleStatus.Cancelled);

    /// <summary>Still needs someone: not refunded, rejected or cancelled.</summary>
    public bool IsOpen => Status is not (AfterSaleStatus.Refunded or AfterSaleStatus.Rejected or AfterSaleStatus.Cancelled);

    /// <summary>The refund's out_refund_no for the current attempt (WeChat Pay: up to 64 of [0-9a-zA-Z_-|*@]).</summary>
    public string? OutRefundNo => RefundAttempt == 0 ? null : $"{Id}-{RefundAttempt}";

    public long RefundAmount => ApprovedAmount ?? RequestedAmount;

    public static AfterSale Request(
        string id, string openId, string orderNo, AfterSaleType type, IReadOnlyList<AfterSaleLine> lines, long amount, string reason,
        string? description, IReadOnlyList<string> imageUrls, string requestHash, DateTimeOffset now)
    {
        if (amount < 1) throw new ArgumentOutOfRangeException(nameof(amount), "An after-sale request asks for at least 1 fen.");
        if (type == AfterSaleType.Return && lines.Count == 0) throw new ArgumentException("A return names what comes back.", nameof(lines));
        return new AfterSale(id, openId, orderNo)
        {
            Type = type, Lines = lines, RequestedAmount = amount, Reason = reason, Description = description, ImageUrls = imageUrls,
            RequestHash = requestHash, RequestedAt = now, UpdatedAt = now, Status = AfterSaleStatus.Requested,
        };
    }

    public static AfterSale Restore(
        string id, string openId, string orderNo, AfterSaleType type, AfterSaleStatus status, IReadOnlyList<AfterSaleLine> lines, long requestedAmount,
        long? approvedAmount, string reason, string? description, IReadOnlyList<string> imageUrls, string? returnAddress, ReturnShipment? shipment,
        bool? restock, string? rejectReason, int refundAttempt, RefundProblem? problem, DateTimeOffset requestedAt, DateTimeOffset updatedAt,
        DateTimeOffset? closedAt, string requestHash, string? version)
        => new(id, openId, orderNo)
        {
            Type = type, Status = status, Lines = lines, RequestedAmount = requestedAmount, ApprovedAmount = approvedAmount, Reason = reason,
            Description = description, ImageUrls = imageUrls, ReturnAddress = returnAddress, Shipment = shipment, Restock = restock,
            RejectReason = rejectReason, RefundAttempt = refundAttempt, Problem = problem, RequestedAt = requestedAt, UpdatedAt = updatedAt,
            ClosedAt = closedAt, RequestHash = requestHash, Version = version,
        };

    /// <summary>The storage version a save gave it, so the next save is conditional on it.</summary>
    public void Saved(string version) => Version = version;

    /// <summary>The operator agrees, for the amount asked or less; a return waits for the goods at the address given.</summary>
    public AfterSaleMove Approve(long? amount, string? returnAddress, DateTimeOffset now)
    {
        // A repeat of an approval that went through (the request may have moved on since) changes nothing.
        if (ApprovedAmount is not null && IsOpenOrRefunded && Status != AfterSaleStatus.Requested && (amount is null || amount == ApprovedAmount)) return AfterSaleMove.Unchanged;
        if (Status != AfterSaleStatus.Requested) return AfterSaleMove.Refused;
        if (amount is { } a && (a < 1 || a > RequestedAmount)) return AfterSaleMove.Refused;
        if (Type == AfterSaleType.Return && string.IsNullOrWhiteSpace(returnAddress)) return AfterSaleMove.Refused;
        ApprovedAmount = amount ?? RequestedAmount;
        ReturnAddress = Type == AfterSaleType.Return ? returnAddress : null;
        return Move(AfterSaleStatus.Approved, now);
    }

    public AfterSaleMove Reject(string reason, DateTimeOffset now)
    {
        if (Status == AfterSaleStatus.Rejected) return AfterSaleMove.Unchanged;
        if (Status != AfterSaleStatus.Requested) return AfterSaleMove.Refused;
        RejectReason = reason;
        ClosedAt = now;
        return Move(AfterSaleStatus.Rejected, now);
    }

    /// <summary>The buyer withdraws, while nothing is on its way back and no money has been asked for.</summary>
    public AfterSaleMove Cancel(DateTimeOffset now)
    {
        if (Status == AfterSaleStatus.Cancelled) return AfterSaleMove.Unchanged;
        if (Status is not (AfterSaleStatus.Requested or AfterSaleStatus.Approved)) return AfterSaleMove.Refused;
        ClosedAt = now;
        return Move(AfterSaleStatus.Cancelled, now);
    }

    /// <summary>The buyer sends the goods back (a return, once approved); the same tracking number again changes nothing.</summary>
    public AfterSaleMove ShipReturn(string expressCompany, string trackingNo, DateTimeOffset now)
    {
        if (Status == AfterSaleStatus.ReturnShipped && Shipment is { } s && s.ExpressCompany == expressCompany && s.TrackingNo == trackingNo) return AfterSaleMove.Unchanged;
        if (Type != AfterSaleType.Return || Status != AfterSaleStatus.Approved) return AfterSaleMove.Refused;
        Shipment = new ReturnShipment(expressCompany, trackingNo, now);
        return Move(AfterSaleStatus.ReturnShipped, now);
    }

    /// <summary>The goods arrived back; restocked or not (damaged goods are not sold again).</summary>
    public AfterSaleMove Receive(bool restock, DateTimeOffset now)
    {
        if (Restock == restock && Status is AfterSaleStatus.ReturnReceived or AfterSaleStatus.Refunding or AfterSaleStatus.RefundAbnormal or AfterSaleStatus.Refunded)
        {
            return AfterSaleMove.Unchanged;
        }

        // Goods can arrive before the buyer enters a tracking number.
        if (Type != AfterSaleType.Return || Status is not (AfterSaleStatus.Approved or AfterSaleStatus.ReturnShipped)) return AfterSaleMove.Refused;
        Restock = restock;
        return Move(AfterSaleStatus.ReturnReceived, now);
    }

    /// <summary>The money goes back: a refund approved (refund only) or a return received; its first attempt numbered 1.</summary>
    public AfterSaleMove StartRefund(DateTimeOffset now)
    {
        if (Status == AfterSaleStatus.Refunding) return AfterSaleMove.Unchanged;
        var ready = Type == AfterSaleType.Refund ? Status == AfterSaleStatus.Approved : Status == AfterSaleStatus.ReturnReceived;
        if (!ready) return AfterSaleMove.Refused;
        RefundAttempt = 1;
        return Move(AfterSaleStatus.Refunding, now);
    }

    public AfterSaleMove RefundSucceeded(DateTimeOffset now)
    {
        if (Status == AfterSaleStatus.Refunded) return AfterSaleMove.Unchanged;
        if (Status is not (AfterSaleStatus.Refunding or AfterSaleStatus.RefundAbnormal)) return AfterSaleMove.Refused;
        Problem = null;
        ClosedAt = now;
        return Move(AfterSaleStatus.Refunded, now);
    }

    /// <summary>WeChat Pay reported ABNORMAL or CLOSED for the current attempt: an operator must retry.</summary>
    public AfterSaleMove RefundStopped(RefundProblem problem, DateTimeOffset now)
    {
        if (Status == AfterSaleStatus.RefundAbnormal && Problem == problem) return AfterSaleMove.Unchanged;
        if (Status != AfterSaleStatus.Refunding) return AfterSaleMove.Refused;
        Problem = problem;
        return Move(AfterSaleStatus.RefundAbnormal, now);
    }

    /// <summary>An operator's retry: an abnormal refund is re-applied under the same number; a closed one gets the next.</summary>
    public AfterSaleMove RetryRefund(DateTimeOffset now)
    {
        if (Status != AfterSaleStatus.RefundAbnormal) return Status == AfterSaleStatus.Refunding ? AfterSaleMove.Unchanged : AfterSaleMove.Refused;
        if (Problem == RefundProblem.Closed) RefundAttempt++;
        Problem = null;
        return Move(AfterSaleStatus.Refunding, now);
    }

    private AfterSaleMove Move(AfterSaleStatus to, DateTimeOffset now)
    {
        Status = to;
        UpdatedAt = now;
        return AfterSaleMove.Moved;
    }
}

/// <summary>The members' after-sale requests, in the member's partition beside the order, so each move writes both in one batch.</summary>
public interface IAfterSaleRepository
{
    Task<AfterSale?> GetAsync(string openId, string afterSaleId, CancellationToken cancellationToken);

    /// <summary>A member's requests, newest first.</summary>
    Task<IReadOnlyList<AfterSale>> ListAsync(string openId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the request (insert when new, else under its version) and its order (under its version) in one batch:
    /// both or neither. False when either changed meanwhile (or the request already exists).
    /// </summary>
    Task<bool> TrySaveAsync(AfterSale afterSale, WeStore.Domain.Orders.Order? order, CancellationToken cancellationToken);
}

public sealed record IndexedAfterSale(string AfterSaleId, string OpenId, DateTimeOffset RequestedAt);

/// <summary>
/// After-sale requests by id (a point read from an id to its member, for operators) and by status, oldest first, for
/// review. Kept after each move; an entry an interrupted move left behind is dropped when a reader finds it moved on.
/// </summary>
public interface IAfterSaleIndex
{
    Task<string?> FindOpenIdAsync(string afterSaleId, CancellationToken cancellationToken);

    /// <summary>Records the request's id and puts it under its status, out of <paramref name="previous"/>.</summary>
    Task SyncAsync(AfterSale afterSale, AfterSaleStatus? previous, CancellationToken cancellationToken);

    Task<(IReadOnlyList<IndexedAfterSale> Entries, string? ContinuationToken)> ListAsync(AfterSaleStatus status, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    Task RemoveAsync(AfterSaleStatus status, string afterSaleId, DateTimeOffset requestedAt, CancellationToken cancellationToken);
}
