using System.Globalization;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Orders;

namespace WeStore.Storage.Orders;

/// <summary>
/// <c>OrderIndex</c>: <c>lookup-XX</c> partitions (XX = characters 3-4 of the order number, so lookups spread) with a
/// row per order number holding its member; and a partition per bucket (<c>toShip</c>, <c>shipped</c>, <c>received</c>,
/// <c>uploadFailed</c>) with rows <c>{paid time, sortable}|{orderNo}</c>, oldest payment first.
/// </summary>
internal sealed class OrderIndex(StorageClients clients) : IOrderIndex
{
    public async Task<string?> FindOpenIdAsync(string orderNo, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.OrderIndex, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(LookupPartition(orderNo), orderNo, ["OpenId"], cancellationToken);
        return row.HasValue ? row.Value!.GetString("OpenId") : null;
    }

    public async Task SyncAsync(Order order, OrderBucket? previous, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.OrderIndex, cancellationToken);
        var paidAt = order.PaidAt ?? order.CreatedAt;
        if (previous is null)
        {
            await table.UpsertEntityAsync(new TableEntity(LookupPartition(order.OrderNo), order.OrderNo) { ["OpenId"] = order.OpenId, ["PaidAt"] = paidAt },
                TableUpdateMode.Replace, cancellationToken);
        }

        var target = OrderBuckets.Of(order);
        if (target is { } bucket && bucket != previous) await AddAsync(bucket, order, cancellationToken);
        if (previous is { } old && old != target) await RemoveAsync(old, order.OrderNo, paidAt, cancellationToken);
    }

    public async Task AddAsync(OrderBucket bucket, Order order, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.OrderIndex, cancellationToken);
        var paidAt = order.PaidAt ?? order.CreatedAt;
        await table.UpsertEntityAsync(new TableEntity(Partition(bucket), Row(paidAt, order.OrderNo)) { ["OpenId"] = order.OpenId, ["PaidAt"] = paidAt },
            TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RemoveAsync(OrderBucket bucket, string orderNo, DateTimeOffset paidAt, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.OrderIndex, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(Partition(bucket), Row(paidAt, orderNo), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task<IndexPage> ListAsync(OrderBucket bucket, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.OrderIndex, cancellationToken);
        var after = ContinuationTokens.Decode(continuationToken, RowShape) ?? string.Empty;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(bucket)} and RowKey gt {after}");
        var rows = new List<TableEntity>();
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize + 1, ["RowKey", "OpenId", "PaidAt"], cancellationToken).AsPages())
        {
            rows.AddRange(page.Values);
            if (rows.Count > pageSize) break;
        }

        var shown = rows.Take(pageSize).ToList();
        var orders = shown.Select(e => new IndexedOrder(e.RowKey[(e.RowKey.IndexOf('|') + 1)..], e.GetString("OpenId") ?? string.Empty,
            e.GetDateTimeOffset("PaidAt") ?? default)).ToList();
        return new IndexPage(orders, rows.Count > pageSize ? ContinuationTokens.Encode(shown[^1].RowKey) : null);
    }

    private static readonly System.Text.RegularExpressions.Regex RowShape = new(@"^\d{21}\|[A-Za-z0-9_\-]{1,40}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    internal static string LookupPartition(string orderNo) => "lookup-" + (orderNo.Length >= 4 ? orderNo[2..4] : orderNo);

    private static string Partition(OrderBucket bucket) => bucket switch
    {
        OrderBucket.ToShip => "toShip",
        OrderBucket.Shipped => "shipped",
        OrderBucket.Received => "received",
        _ => "uploadFailed",
    };

    private static string Row(DateTimeOffset paidAt, string orderNo)
        => paidAt.UtcDateTime.ToString("yyyyMMddHHmmssfffffff", CultureInfo.InvariantCulture) + "|" + orderNo;
}
