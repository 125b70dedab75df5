namespace WeStore.Domain.Catalog;

/// <summary>What a SKU sells for, read together with its stock so pricing and reservation are one point read.</summary>
public sealed record SkuOffer(string SkuId, string ProductId, string Name, long Price, bool OnSale);

public enum ReservationOutcome
{
    Reserved,
    NotFound,
    NotOnSale,
    OutOfStock,

    /// <summary>This order already holds this SKU: the request is a replay.</summary>
    AlreadyHeld,
}

/// <summary>Stock held by an order: which shard, how many, at what unit price.</summary>
public sealed record StockHold(string OrderNo, string SkuId, int Shard, int Quantity, SkuOffer Offer);

/// <summary>What a reservation did. For <see cref="ReservationOutcome.AlreadyHeld"/>, <paramref name="Hold"/> is the
/// order's existing hold and <paramref name="HeldAt"/> when it was written.</summary>
public sealed record ReservationResult(ReservationOutcome Outcome, StockHold? Hold, DateTimeOffset? HeldAt = null)
{
    public static ReservationResult Failed(ReservationOutcome outcome) => new(outcome, null);
}

/// <summary>A SKU's stock figures, summed over its shards and holds (for operators and the invariant checker).</summary>
public sealed record StockLevel(string SkuId, long Received, long Available, long Held, long Sold, long Restocked = 0);

/// <summary>
/// Stock per SKU, split into shards so a hot SKU does not serialize on one ETag. Reserving and releasing are
/// conditional, atomic and idempotent per order: a hold row per (SKU, order) records what the order took.
/// </summary>
public interface IStockRepository
{
    Task<ReservationResult> ReserveAsync(string orderNo, string skuId, int quantity, int shardsHint, CancellationToken cancellationToken);

    /// <summary>Puts an unpaid order's hold back; does nothing if it was already released or sold.</summary>
    Task ReleaseAsync(string orderNo, string skuId, CancellationToken cancellationToken);

    /// <summary>Turns a hold into a sale (on payment); does nothing if already sold.</summary>
    Task MarkSoldAsync(string orderNo, string skuId, CancellationToken cancellationToken);

    /// <summary>Sets a SKU's offer and its available stock (absolute), recording the difference as received.</summary>
    Task SetAsync(SkuOffer offer, int available, int shards, CancellationToken cancellationToken);

    Task<StockLevel?> GetLevelAsync(string skuId, CancellationToken cancellationToken);

    /// <summary>
    /// Returned goods go back on sale: available and received grow by <paramref name="quantity"/>, once per
    /// <paramref name="key"/> (a repeat changes nothing). False when the SKU is gone or the key was already restocked.
    /// </summary>
    Task<bool> RestockAsync(string skuId, int quantity, string key, CancellationToken cancellationToken);
}
