using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Orders;

namespace WeStore.Storage.Orders;

/// <summary>
/// Entries spread over 16 partitions by a hash of the order number (row = order number): a point read finds an
/// order's entry, and the sweeper reads 16 small partitions, so its cost follows the payments left unfinished,
/// not the number of orders or members.
/// </summary>
internal sealed class PaidOutbox(StorageClients clients) : IPaidOutbox
{
    internal const int Partitions = 16;

    internal static string PartitionOf(string orderNo) => "p" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(orderNo)))[..1];

    public async Task<PaidOutboxEntry?> TryAddAsync(string orderNo, string openId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PaidOutbox, cancellationToken);
        // The attempt id tells our own entry from another's: if the insert was applied but its answer lost, the SDK's
        // retry meets 409, and without it this attempt would wait on itself.
        var attempt = Guid.NewGuid().ToString("N");
        try
        {
            await table.AddEntityAsync(new TableEntity(PartitionOf(orderNo), orderNo) { ["OpenId"] = openId, ["CreatedAt"] = now, ["Attempt"] = attempt }, cancellationToken);
            return new PaidOutboxEntry(orderNo, openId, now);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(orderNo), orderNo, cancellationToken: cancellationToken);
            return existing.HasValue && existing.Value?.GetString("Attempt") == attempt ? Read(existing.Value) : null;
        }
    }

    public async Task<PaidOutboxEntry?> GetAsync(string orderNo, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PaidOutbox, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(orderNo), orderNo, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } row ? Read(row) : null;
    }

    public async Task RemoveAsync(PaidOutboxEntry entry, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PaidOutbox, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(PartitionOf(entry.OrderNo), entry.OrderNo, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task<IReadOnlyList<PaidOutboxEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PaidOutbox, cancellationToken);
        var entries = new List<PaidOutboxEntry>();
        for (var i = 0; i < Partitions; i++)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"p" + i.ToString("X1", System.Globalization.CultureInfo.InvariantCulture)}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) entries.Add(Read(row));
        }

        return entries;
    }

    private static PaidOutboxEntry Read(TableEntity row)
        => new(row.RowKey, row.GetString("OpenId") ?? string.Empty, row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
}
