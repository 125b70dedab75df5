using System.Globalization;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Catalog;
using WeStore.Domain.Common;

namespace WeStore.Storage.Catalog;

/// <summary>
/// A SKU's partition holds an <c>info</c> row, <c>shard-NN</c> rows (available stock, with the offer copied so one
/// read prices and reserves), and a <c>hold-{orderNo}</c> row per order. Reserving is one read and one batch
/// (shard decrement under its ETag + hold insert), so stock never goes below zero and an order holds a SKU once;
/// releasing is the reverse batch, guarded by the hold row, so it happens at most once.
/// </summary>
internal sealed class StockRepository(StorageClients clients) : IStockRepository
{
    private const string InfoRow = "info";

    internal static string ShardRow(int index) => "shard-" + index.ToString("00", CultureInfo.InvariantCulture);

    internal static string HoldRow(string orderNo) => "hold-" + orderNo;

    public async Task<ReservationResult> ReserveAsync(string orderNo, string skuId, int quantity, int shardsHint, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        var table = await clients.GetTableAsync(TableNames.Stock, cancellationToken);
        var shards = Math.Max(1, shardsHint);
        var start = shards > 1 ? Random.Shared.Next(shards) : 0;
        for (var i = 0; i < shards; i++)
        {
            var index = (start + i) % shards;
            var outcome = await Optimistic.RetryAsync<ReservationResult?>($"Stock of {skuId} shard {index}", async _ =>
            {
                var response = await table.GetEntityIfExistsAsync<TableEntity>(skuId, ShardRow(index), cancellationToken: cancellationToken);
                if (!response.HasValue || response.Value is not { } shard)
                {
                    return Done(index == 0 ? ReservationResult.Failed(ReservationOutcome.NotFound) : null);
                }

                shards = Math.Max(shards, shard.GetInt32("Shards") ?? 1);
                var offer = OfferFrom(skuId, shard);
                if (!offer.OnSale) return Done(ReservationResult.Failed(ReservationOutcome.NotOnSale));
                var available = shard.GetInt64("Available") ?? 0;
                if (available < quantity) return Done(null); // not enough here: try the next shard

                var hold = new StockHold(orderNo, skuId, index, quantity, offer);
                try
                {
                    await table.SubmitBatchAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                            new TableEntity(skuId, ShardRow(index)) { ["Available"] = available - quantity }, shard.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, HoldEntity(hold, "held")),
                    ], cancellationToken);
                    return Done(new ReservationResult(ReservationOutcome.Reserved, hold));
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 1 && e.Status == 409)
                {
                    // The order's hold exists: an earlier attempt's, or this one's own whose answer was lost. The caller
                    // decides from its age whether that attempt is still running.
                    var existing = await table.GetEntityIfExistsAsync<TableEntity>(skuId, HoldRow(orderNo), cancellationToken: cancellationToken);
                    return Done(existing.HasValue && existing.Value is { } row && row.GetString("State") == "held"
                        ? new ReservationResult(ReservationOutcome.AlreadyHeld,
                            new StockHold(orderNo, skuId, row.GetInt32("Shard") ?? 0, row.GetInt32("Quantity") ?? 0, offer), row.Timestamp)
                        : ReservationResult.Failed(ReservationOutcome.AlreadyHeld));
                }
                catch (TableTransactionFailedException e) when (e.Status is 412 or 409)
                {
                    // Another order took stock from this shard first: read it again.
                    return Attempt<ReservationResult?>.Again;
                }
            }, cancellationToken, Optimistic.HotRowAttempts, Optimistic.Jitter(5, 45));
            if (outcome is not null) return outcome;
        }

        return ReservationResult.Failed(ReservationOutcome.OutOfStock);
    }

    private static Attempt<ReservationResult?> Done(ReservationResult? result) => result;

    public async Task ReleaseAsync(string orderNo, string skuId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Stock, cancellationToken);
        await Optimistic.RetryAsync($"Stock of {skuId}", async _ =>
        {
            var holdResponse = await table.GetEntityIfExistsAsync<TableEntity>(skuId, HoldRow(orderNo), cancellationToken: cancellationToken);
            if (!holdResponse.HasValue || holdResponse.Value is not { } hold || hold.GetString("State") != "held") return true;

            var shardKey = ShardRow(hold.GetInt32("Shard") ?? 0);
            var shard = (await table.GetEntityAsync<TableEntity>(skuId, shardKey, cancellationToken: cancellationToken)).Value;
            try
            {
                await table.SubmitBatchAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                        new TableEntity(skuId, shardKey) { ["Available"] = (shard.GetInt64("Available") ?? 0) + (hold.GetInt32("Quantity") ?? 0) }, shard.ETag),
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(skuId, hold.RowKey), hold.ETag),
                ], cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
            {
                return false;
            }
        }, cancellationToken, Optimistic.HotRowAttempts, Optimistic.Jitter(9, 9));
    }

    public async Task MarkSoldAsync(string orderNo, string skuId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Stock, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(skuId, HoldRow(orderNo), cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } hold || hold.GetString("State") == "sold") return;
        try
        {
            await table.UpdateEntityAsync(new TableEntity(skuId, hold.RowKey) { ["State"] = "sold" }, hold.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            // Changed meanwhile (sold by a concurrent call, or released): the caller's state check decides.
        }
    }

    public async Task SetAsync(SkuOffer offer, int available, int shards, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(available);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var table = await clients.GetTableAsync(TableNames.Stock, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {offer.SkuId} and (RowKey eq {InfoRow} or (RowKey ge {"shard-"} and RowKey lt {"shard."}))");
        await Optimistic.RetryAsync($"Stock of {offer.SkuId}", async _ =>
        {
            var rows = await table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
            var info = rows.SingleOrDefault(r => r.RowKey == InfoRow);
            var existing = rows.Where(r => r.RowKey != InfoRow).ToDictionary(r => r.RowKey);
            var currentAvailable = existing.Values.Sum(r => r.GetInt64("Available") ?? 0);
            var received = (info?.GetInt64("Received") ?? 0) + (available - currentAvailable);

            var actions = new List<TableTransactionAction>();
            var infoEntity = WithOffer(new TableEntity(offer.SkuId, InfoRow) { ["Received"] = received, ["Shards"] = shards }, offer);
            actions.Add(info is null
                ? new TableTransactionAction(TableTransactionActionType.Add, infoEntity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, infoEntity, info.ETag));
            for (var i = 0; i < shards; i++)
            {
                var share = (available / shards) + (i < available % shards ? 1 : 0);
                var entity = WithOffer(new TableEntity(offer.SkuId, ShardRow(i)) { ["Available"] = (long)share, ["Shards"] = shards }, offer);
                actions.Add(existing.Remove(ShardRow(i), out var old)
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, old.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity));
            }

            actions.AddRange(existing.Values.Select(old => new TableTransactionAction(TableTransactionActionType.Delete, old, old.ETag)));
            try
            {
                await table.SubmitBatchAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                return false;
            }
        }, cancellationToken, Optimistic.HotRowAttempts, Optimistic.Jitter(19, 19));
    }

    public async Task<bool> RestockAsync(string skuId, int quantity, string key, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        var table = await clients.GetTableAsync(TableNames.Stock, cancellationToken);
        var restockRow = "restock-" + key;
        return await Optimistic.RetryAsync<bool>($"Stock of {skuId}", async _ =>
        {
            if ((await table.GetEntityIfExistsAsync<TableEntity>(skuId, restockRow, ["RowKey"], cancellationToken)).HasValue) return false;
            var info = await table.GetEntityIfExistsAsync<TableEntity>(skuId, InfoRow, cancellationToken: cancellationToken);
            if (!info.HasValue || info.Value is not { } infoRow) return false;
            var shardRow = ShardRow(Random.Shared.Next(Math.Max(1, infoRow.GetInt32("Shards") ?? 1)));
            var shard = await table.GetEntityIfExistsAsync<TableEntity>(skuId, shardRow, cancellationToken: cancellationToken);
            if (!shard.HasValue || shard.Value is not { } shardEntity) return false;
            // One batch in the SKU's partition: the shard and the received total grow together, and the restock row makes it once.
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.UpdateMerge, new TableEntity(skuId, shardRow) { ["Available"] = (shardEntity.GetInt64("Available") ?? 0) + quantity }, shardEntity.ETag),
                new(TableTransactionActionType.UpdateMerge, new TableEntity(skuId, InfoRow) { ["Received"] = (infoRow.GetInt64("Received") ?? 0) + quantity }, infoRow.ETag),
                new(TableTransactionActionType.Add, new TableEntity(skuId, restockRow) { ["Quantity"] = quantity }),
            ];
            try
            {
                await table.SubmitBatchAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex == 2)
            {
                return false;
            }
            catch (TableTransactionFailedException e) when (e.Status is 412 or 409)
            {
                return Attempt<bool>.Again;
            }
        }, cancellationToken, Optimistic.HotRowAttempts, Optimistic.Jitter(19, 19));
    }

    public async Task<StockLevel?> GetLevelAsync(string skuId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Stock, cancellationToken);
        var rows = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {skuId}"), cancellationToken: cancellationToken)
            .ToListAsync(cancellationToken);
        var info = rows.SingleOrDefault(r => r.RowKey == InfoRow);
        if (info is null) return null;
        var holds = rows.Where(r => r.RowKey.StartsWith("hold-", StringComparison.Ordinal)).ToList();
        return new StockLevel(
            skuId,
            info.GetInt64("Received") ?? 0,
            rows.Where(r => r.RowKey.StartsWith("shard-", StringComparison.Ordinal)).Sum(r => r.GetInt64("Available") ?? 0),
            holds.Where(h => h.GetString("State") == "held").Sum(h => (long)(h.GetInt32("Quantity") ?? 0)),
            holds.Where(h => h.GetString("State") == "sold").Sum(h => (long)(h.GetInt32("Quantity") ?? 0)),
            rows.Where(r => r.RowKey.StartsWith("restock-", StringComparison.Ordinal)).Sum(r => (long)(r.GetInt32("Quantity") ?? 0)));
    }

    private static SkuOffer OfferFrom(string skuId, TableEntity row)
        => new(skuId, row.GetString("ProductId") ?? string.Empty, row.GetString("Name") ?? skuId, row.GetInt64("Price") ?? 0, row.GetBoolean("OnSale") ?? false);

    private static TableEntity WithOffer(TableEntity entity, SkuOffer offer)
    {
        entity["ProductId"] = offer.ProductId;
        entity["Name"] = offer.Name;
        entity["Price"] = offer.Price;
        entity["OnSale"] = offer.OnSale;
        return entity;
    }

    private static TableEntity HoldEntity(StockHold hold, string state) => new(hold.SkuId, HoldRow(hold.OrderNo))
    {
        ["Shard"] = hold.Shard,
        ["Quantity"] = hold.Quantity,
        ["State"] = state,
        ["Price"] = hold.Offer.Price,
    };
}
