using WeStore.Domain.AfterSales;

namespace WeStore.Storage.AfterSales;

/// <summary><c>AfterSaleIndex</c> (a <see cref="BucketTable"/>): <c>lookup-XX</c> rows from a request's id to its member, and a partition per status, oldest first.</summary>
internal sealed class AfterSaleIndex(StorageClients clients) : IAfterSaleIndex
{
    private readonly BucketTable _table = new(clients, TableNames.AfterSaleIndex);

    public async Task<string?> FindOpenIdAsync(string afterSaleId, CancellationToken cancellationToken)
        => (await _table.FindAsync(afterSaleId, cancellationToken))?.GetString("OpenId");

    public async Task SyncAsync(AfterSale afterSale, AfterSaleStatus? previous, CancellationToken cancellationToken)
    {
        if (previous is null) await _table.RecordAsync(afterSale.Id, afterSale.OpenId, new Dictionary<string, object?> { ["OrderNo"] = afterSale.OrderNo }, cancellationToken);
        if (afterSale.Status != previous) await _table.AddAsync(Partition(afterSale.Status), new BucketEntry(afterSale.Id, afterSale.OpenId, afterSale.RequestedAt), cancellationToken);
        if (previous is { } old && old != afterSale.Status) await _table.RemoveAsync(Partition(old), afterSale.Id, afterSale.RequestedAt, cancellationToken);
    }

    public async Task<(IReadOnlyList<IndexedAfterSale> Entries, string? ContinuationToken)> ListAsync(
        AfterSaleStatus status, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var (entries, token) = await _table.ListAsync(Partition(status), continuationToken, pageSize, cancellationToken);
        return ([.. entries.Select(e => new IndexedAfterSale(e.Key, e.OpenId, e.At))], token);
    }

    public Task RemoveAsync(AfterSaleStatus status, string afterSaleId, DateTimeOffset requestedAt, CancellationToken cancellationToken)
        => _table.RemoveAsync(Partition(status), afterSaleId, requestedAt, cancellationToken);

    private static string Partition(AfterSaleStatus status) => char.ToLowerInvariant(status.ToString()[0]) + status.ToString()[1..];
}
