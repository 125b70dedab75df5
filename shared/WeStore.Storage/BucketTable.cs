using System.Globalization;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;

namespace WeStore.Storage;

/// <summary>An entry of a bucket: its key, the member it belongs to, and the time it is ordered by.</summary>
internal sealed record BucketEntry(string Key, string OpenId, DateTimeOffset At);

/// <summary>
/// The shape both work indexes share (orders for operators, after-sale requests for review): <c>lookup-XX</c>
/// partitions with a row per key holding its member, so a key alone is found with one point read; and a partition
/// per bucket with rows <c>{time, sortable}|{key}</c>, oldest first, paged by a token the index makes itself.
/// </summary>
internal sealed class BucketTable(StorageClients clients, string tableName)
{
    private static readonly Regex RowShape = new(@"^\d{21}\|[A-Za-z0-9_\-]{1,64}$", RegexOptions.CultureInvariant);

    /// <summary>Spreads lookups over partitions by two characters of the key (its 3rd and 4th: past any fixed prefix).</summary>
    public static string LookupPartition(string key) => "lookup-" + (key.Length >= 4 ? key[2..4] : key);

    public async Task<TableEntity?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(tableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(LookupPartition(key), key, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task RecordAsync(string key, string openId, IDictionary<string, object?>? more, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(tableName, cancellationToken);
        var entity = new TableEntity(LookupPartition(key), key) { ["OpenId"] = openId };
        foreach (var (name, value) in more ?? new Dictionary<string, object?>()) entity[name] = value;
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task AddAsync(string bucket, BucketEntry entry, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(tableName, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(bucket, Row(entry.At, entry.Key)) { ["OpenId"] = entry.OpenId, ["At"] = entry.At }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RemoveAsync(string bucket, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(tableName, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(bucket, Row(at, key), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task<(IReadOnlyList<BucketEntry> Entries, string? ContinuationToken)> ListAsync(string bucket, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(tableName, cancellationToken);
        var after = ContinuationTokens.Decode(continuationToken, RowShape) ?? string.Empty;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey gt {after}");
        var rows = new List<TableEntity>();
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize + 1, ["RowKey", "OpenId", "At", "PaidAt"], cancellationToken).AsPages())
        {
            rows.AddRange(page.Values);
            if (rows.Count > pageSize) break;
        }

        var shown = rows.Take(pageSize).ToList();
        var entries = shown.Select(e => new BucketEntry(e.RowKey[(e.RowKey.IndexOf('|') + 1)..], e.GetString("OpenId") ?? string.Empty,
            e.GetDateTimeOffset("At") ?? e.GetDateTimeOffset("PaidAt") ?? default)).ToList();
        return (entries, rows.Count > pageSize ? ContinuationTokens.Encode(shown[^1].RowKey) : null);
    }

    private static string Row(DateTimeOffset at, string key) => at.UtcDateTime.ToString("yyyyMMddHHmmssfffffff", CultureInfo.InvariantCulture) + "|" + key;
}
