namespace WeStore.Domain.Orders;

/// <summary>How an order travels, with WeChat's <c>logistics_type</c> numbers.</summary>
public enum LogisticsType
{
    /// <summary>快递: a carrier and a tracking number per package; the only type that ships in several packages.</summary>
    Express = 1,

    /// <summary>同城配送.</summary>
    LocalDelivery = 2,

    /// <summary>虚拟商品: nothing physical travels (recharges, memberships); WeChat still needs the upload.</summary>
    Virtual = 3,

    /// <summary>用户自提.</summary>
    Pickup = 4,
}

/// <summary>Who recorded an order's receipt.</summary>
public enum ReceiptSource
{
    /// <summary>The buyer confirmed in the Mini Program (checked with WeChat).</summary>
    Buyer,

    /// <summary>WeChat's <c>trade_manage_order_settlement</c> event: confirmed in WeChat, or settled by WeChat.</summary>
    WeChat,

    /// <summary>The store's own auto-confirm, <c>Fulfilment:AutoConfirmDays</c> after the last package shipped.</summary>
    AutoConfirm,
}

public sealed record PackageItem(string SkuId, int Quantity);

/// <summary>A package the operator ships: for express, its carrier (a WeChat delivery_id) and tracking number.</summary>
public sealed record NewPackage(string? ExpressCompany, string? TrackingNo, IReadOnlyList<PackageItem> Items);

/// <summary>A package that left: numbered P1, P2... in order; the request that shipped it, for idempotent replays.</summary>
public sealed record OrderPackage(
    string PackageId, string? ExpressCompany, string? TrackingNo, IReadOnlyList<PackageItem> Items, DateTimeOffset ShippedAt,
    string? RequestKey = null, string? RequestHash = null);

/// <summary>
/// The order's journey after payment: the logistics type (one per order), the packages, when the last one left, when
/// and how the order was received and completed; quantities refunded by line before they shipped (no longer to ship),
/// and quantities refunded after they shipped (returned, or kept by the buyer with the money back).
/// </summary>
public sealed record OrderFulfilment(
    LogisticsType? Logistics, IReadOnlyList<OrderPackage> Packages, DateTimeOffset? LastShippedAt, DateTimeOffset? ReceivedAt,
    ReceiptSource? ReceiptSource, DateTimeOffset? CompletedAt, IReadOnlyDictionary<string, int>? RefundedQuantities = null,
    IReadOnlyDictionary<string, int>? ReturnedQuantities = null)
{
    /// <summary>WeChat's limit on one payment's shipping list (<c>shipping_list</c> 1..15).</summary>
    public const int MaxPackages = 15;

    public static readonly OrderFulfilment None = new(null, [], null, null, null, null);

    /// <summary>Nothing has happened after payment yet (nothing shipped, nothing refunded by line).</summary>
    public bool IsEmpty => Logistics is null && Packages.Count == 0 && ReceivedAt is null && CompletedAt is null && (RefundedQuantities is null || RefundedQuantities.Count == 0)
        && (ReturnedQuantities is null || ReturnedQuantities.Count == 0);

    public int ShippedQuantity(string skuId) => Packages.SelectMany(p => p.Items).Where(i => i.SkuId == skuId).Sum(i => i.Quantity);

    public int RefundedQuantity(string skuId) => RefundedQuantities is { } r && r.TryGetValue(skuId, out var n) ? n : 0;

    public int ReturnedQuantity(string skuId) => ReturnedQuantities is { } r && r.TryGetValue(skuId, out var n) ? n : 0;
}

public enum ShipRefusal
{
    /// <summary>Unpaid, closed, refunded, already fully shipped, received or completed.</summary>
    NotShippable,

    /// <summary>Everything paid is refunded or being refunded.</summary>
    RefundPending,

    LogisticsTypeChanged,
    EmptyPackage,
    TooManyPackages,
    UnknownSku,
    QuantityBeyondOrdered,

    /// <summary>Only express ships in several packages or in parts.</summary>
    SplitNotExpress,

    /// <summary>A group-buy order whose team has not filled (it may yet be refunded).</summary>
    TeamNotWon,
}

/// <summary>What <see cref="Order.Ship"/> did: the packages added, or why nothing was.</summary>
public sealed record ShipResult(IReadOnlyList<OrderPackage> Added, ShipRefusal? Refusal, string? Reason)
{
    public bool Shipped => Refusal is null;

    public static ShipResult Done(IReadOnlyList<OrderPackage> added) => new(added, null, null);

    public static ShipResult Refused(ShipRefusal refusal, string reason) => new([], refusal, reason);
}

public enum ReceiptOutcome
{
    Recorded,
    AlreadyReceived,

    /// <summary>Not (fully) shipped, or refunded: there is nothing to receive.</summary>
    NotShipped,
}
