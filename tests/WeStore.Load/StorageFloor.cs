using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace WeStore.Load;

/// <summary>
/// The floor for order placement: the same storage operations an order costs (timeout message, shard read,
/// shard+hold batch, order row), issued straight at the storage emulator with no function host, no WeChat Pay and no
/// business logic. The store's throughput is reported as a ratio of this.
/// </summary>
public sealed class StorageFloor(string connectionString, string run)
{
    private const int Shards = 16;
    private readonly TableClient _stock = new(connectionString, "FloorStock");
    private readonly TableClient _members = new(connectionString, "FloorMembers");
    private readonly QueueClient _queue = new(connectionString, "floor-timeout", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private readonly string _order = new('x', 1200);

    public async Task SetupAsync()
    {
        await _stock.CreateIfNotExistsAsync();
        await _members.CreateIfNotExistsAsync();
        await _queue.CreateIfNotExistsAsync();
        for (var i = 0; i < Shards; i++)
        {
            await _stock.UpsertEntityAsync(new TableEntity("sku-" + run, $"shard-{i:00}") { ["Available"] = 1_000_000L, ["Price"] = 100L, ["OnSale"] = true });
        }
    }

    public async Task<int> PlaceAsync(int n, CancellationToken ct)
    {
        var orderNo = $"{run}-{n}";
        await _queue.SendMessageAsync($$"""{"openId":"o{{n % 64}}","orderNo":"{{orderNo}}","skuIds":["sku-{{run}}"]}""", TimeSpan.FromMinutes(15), cancellationToken: ct);
        var shardKey = $"shard-{Random.Shared.Next(Shards):00}";
        while (true)
        {
            var shard = (await _stock.GetEntityAsync<TableEntity>("sku-" + run, shardKey, cancellationToken: ct)).Value;
            try
            {
                await _stock.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                        new TableEntity(shard.PartitionKey, shardKey) { ["Available"] = shard.GetInt64("Available")!.Value - 1 }, shard.ETag),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(shard.PartitionKey, "hold-" + orderNo) { ["Quantity"] = 1, ["State"] = "held" }),
                ], ct);
                break;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412)
            {
            }
        }

        await _members.AddEntityAsync(new TableEntity($"o{n % 64}", "order|" + orderNo) { ["Body"] = _order, ["Payable"] = 100L }, ct);
        return 201;
    }
}
