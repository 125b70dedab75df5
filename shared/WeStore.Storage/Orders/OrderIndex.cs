using WeStore.Domain.Orders;

namespace WeStore.Storage.Orders;

/// <summary>
/// <c>OrderIndex</c> (a <see cref="BucketTable"/>): <c>lookup-XX</c> rows from an order number to its member, and a
/// partition per bucket (<c>toShip</c>, <c>shipped</c>, <c>received</c>, <c>uploadFailed</c>), oldest payment first.
/// </summary>
internal sealed class OrderIndex(StorageClients clients) : IOrderIndex
{
    private readonly BucketTable _table = new(clients, TableNames.OrderIndex);

    public async Task<string?> FindOpenIdAsync(string orderNo, CancellationToken cancellationToken)
        => (await _table.FindAsync(orderNo, cancellationToken))?.GetString("OpenId");

    public async Task SyncAsync(Order order, OrderBucket? previous, CancellationToken cancellationToken)
    {
        var paidAt = order.PaidAt ?? order.CreatedAt;
        if (previous is null) await _table.RecordAsync(order.OrderNo, order.OpenId, new Dictionary<string, object?> { ["PaidAt"] = paidAt }, cancellationToken);
        var target = OrderBuckets.Of(order);
        // The new bucket and the old are separate rows: written at once. A reader drops an entry a half-done move left.
        await Task.WhenAll(
            target is { } bucket && bucket != previous ? AddAsync(bucket, order, cancellationToken) : Task.CompletedTask,
            previous is { } old && old != target ? RemoveAsync(old, order.OrderNo, paidAt, cancellationToken) : Task.CompletedTask);
    }

    public Task AddAsync(OrderBucket bucket, Order order, CancellationToken cancellationToken)
        => _table.AddAsync(Partition(bucket), new BucketEntry(order.OrderNo, order.OpenId, order.PaidAt ?? order.CreatedAt), cancellationToken);

    public Task RemoveAsync(OrderBucket bucket, string orderNo, DateTimeOffset paidAt, CancellationToken cancellationToken)
        => _table.RemoveAsync(Partition(bucket), orderNo, paidAt, cancellationToken);

    public async Task<IndexPage> ListAsync(OrderBucket bucket, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var (entries, token) = await _table.ListAsync(Partition(bucket), continuationToken, pageSize, cancellationToken);
        return new IndexPage([.. entries.Select(e => new IndexedOrder(e.Key, e.OpenId, e.At))], token);
    }

    private static string Partition(OrderBucket bucket) => bucket switch
    {
        OrderBucket.ToShip => "toShip",
        OrderBucket.Shipped => "shipped",
        OrderBucket.Received => "received",
        _ => "uploadFailed",
    };
}
