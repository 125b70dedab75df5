using System.Globalization;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Loyalty;

namespace WeStore.Storage.Loyalty;

internal sealed class PointsRepository(StorageClients clients) : IPointsRepository
{
    public async Task<PointsAccount> GetAsync(string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(openId, PointsEntities.BalanceRow, cancellationToken: cancellationToken);
        return PointsEntities.Read(openId, row.HasValue ? row.Value : null);
    }

    public async Task<PointsSave> TrySaveAsync(PointsAccount account, PointsMarker? marker, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var actions = new List<TableTransactionAction>();
        if (marker is not null)
        {
            var row = PointsEntities.Marker(account.OpenId, marker.Name);
            row["Value"] = marker.Value;
            actions.Add(new(TableTransactionActionType.Add, row));
        }

        actions.AddRange(PointsEntities.Actions(account));
        try
        {
            await table.SubmitBatchAsync(actions, cancellationToken);
            return PointsSave.Saved;
        }
        catch (TableTransactionFailedException e) when (marker is not null && e.FailedTransactionActionIndex == 0 && e.Status == 409)
        {
            return PointsSave.AlreadyDone;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return PointsSave.Conflict;
        }
    }

    public async Task<LedgerPage> ReadLedgerAsync(string openId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var after = PointsEntities.LedgerPrefix + (DecodeToken(continuationToken) ?? string.Empty);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {openId} and RowKey gt {after} and RowKey lt {"points|~loh"}");
        var entries = new List<(string RowKey, PointsLedgerEntry Entry)>();
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize + 1, cancellationToken: cancellationToken).AsPages())
        {
            entries.AddRange(page.Values.Select(e => (e.RowKey, PointsEntities.ReadLedger(e))));
            if (entries.Count > pageSize) break;
        }

        var shown = entries.Take(pageSize).ToList();
        var next = entries.Count > pageSize ? EncodeToken(shown[^1].RowKey[PointsEntities.LedgerPrefix.Length..]) : null;
        return new LedgerPage([.. shown.Select(e => e.Entry)], next);
    }

    /// <summary>Only a token this class made is accepted back: 19 digits, '|', an entry id.</summary>
    private static readonly System.Text.RegularExpressions.Regex LedgerToken = new(@"^\d{19}\|[A-Za-z0-9_\-]{1,160}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string EncodeToken(string suffix) => ContinuationTokens.Encode(suffix);

    private static string? DecodeToken(string? token) => ContinuationTokens.Decode(token, LedgerToken);

    public async Task<PointsMarker?> GetMarkerAsync(string openId, string name, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(openId, PointsEntities.MarkerPrefix + name, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? new PointsMarker(name, e.GetInt64("Value") ?? 0) : null;
    }

    public async Task<bool> TryAddMarkerAsync(string openId, string marker, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        try
        {
            await table.AddEntityAsync(PointsEntities.Marker(openId, marker), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task RemoveMarkerAsync(string openId, string marker, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        await table.DeleteEntityAsync(openId, PointsEntities.MarkerPrefix + marker, ETag.All, cancellationToken);
    }
}

/// <summary>Table <c>PointsExpiry</c>: partition = expiry day (yyyyMMdd), row = {openid}|{lot key}; partition <c>cursor</c> holds how far the runs got.</summary>
internal sealed class PointsExpiryIndex(StorageClients clients) : IPointsExpiryIndex
{
    private const int PageSize = 1000;
    private const string CursorPartition = "cursor";

    public async Task AddAsync(DateOnly day, string openId, string lotKey, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PointsExpiry, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Day(day), openId + "|" + lotKey.Replace('|', '!')), TableUpdateMode.Replace, cancellationToken);
    }

    public async IAsyncEnumerable<IReadOnlyList<ExpiryIndexEntry>> ReadPagesAsync(DateOnly day, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PointsExpiry, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Day(day)}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            yield return [.. page.Values.Select(e =>
            {
                var split = e.RowKey.IndexOf('|');
                return new ExpiryIndexEntry(e.RowKey[..split], e.RowKey[(split + 1)..].Replace('!', '|'));
            })];
        }
    }

    public async Task<DateOnly?> GetCursorAsync(string name, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PointsExpiry, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(CursorPartition, name, cancellationToken: cancellationToken);
        return row.HasValue && row.Value?.GetString("Day") is { } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
    }

    public async Task SetCursorAsync(string name, DateOnly day, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.PointsExpiry, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(CursorPartition, name) { ["Day"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, TableUpdateMode.Replace, cancellationToken);
    }

    private static string Day(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
