using Azure;
using Azure.Data.Tables;
using WeStore.WeChat;

namespace WeStore.Storage.WeChat;

/// <summary>One row per app (partition = the app's key) holds the token, its expiry and the fetch lease; every change is ETag-conditional.</summary>
internal sealed class AccessTokenStore(StorageClients clients) : IAccessTokenStore
{
    private const string Row = "access-token";

    public async Task<AccessTokenRecord> ReadAsync(string app, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeChatTokens, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(app, Row, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } e) return AccessTokenRecord.Empty;
        return new AccessTokenRecord(
            e.GetString("Token"),
            e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue,
            e.GetString("LeaseHolder"),
            e.GetDateTimeOffset("LeaseUntil") ?? DateTimeOffset.MinValue,
            e.ETag.ToString());
    }

    public async Task<AccessTokenRecord?> TryLeaseAsync(string app, AccessTokenRecord current, string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeChatTokens, cancellationToken);
        var entity = new TableEntity(app, Row)
        {
            ["Token"] = current.Token,
            ["ExpiresAt"] = current.Token is null ? null : current.ExpiresAt,
            ["LeaseHolder"] = holder,
            ["LeaseUntil"] = until,
        };
        try
        {
            Response response = current.Version is null
                ? await table.AddEntityAsync(entity, cancellationToken)
                : await table.UpdateEntityAsync(entity, new ETag(current.Version), TableUpdateMode.Replace, cancellationToken);
            return current with { LeaseHolder = holder, LeaseUntil = until, Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    public async Task SaveAsync(string app, AccessTokenRecord leased, string token, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeChatTokens, cancellationToken);
        var entity = new TableEntity(app, Row)
        {
            ["Token"] = token,
            ["ExpiresAt"] = expiresAt,
            ["LeaseHolder"] = null,
            ["LeaseUntil"] = TableDates.Earliest, // no lease
        };
        // Our lease guards this write; if it was lost (expired and taken), the newer holder's token wins.
        try
        {
            await table.UpdateEntityAsync(entity, leased.Version is null ? ETag.All : new ETag(leased.Version), TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
        }
    }
}
