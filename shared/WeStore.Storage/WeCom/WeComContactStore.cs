using Azure;
using Azure.Data.Tables;
using WeStore.Domain.WeCom;

namespace WeStore.Storage.WeCom;

/// <summary>
/// WeCom contacts, partitioned by external_userid: <c>add|{userid}|{createTime}</c> is one add event being handled,
/// <c>rel|{userid}</c> a follow relation, <c>ev|{id}</c> an event seen. The app's shared ids (tag ids, the card's
/// media id) live in partition <c>~app</c>. Every change is a point write under an ETag.
/// </summary>
internal sealed class WeComContactStore(StorageClients clients) : IWeComContactStore
{
    private const string AppPartition = "~app";

    public async Task<ContactAdd?> GetAddAsync(string externalUserId, string id, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(externalUserId, "add|" + id, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e ? ReadAdd(e) : null;
    }

    public async Task<bool> TryCreateAddAsync(ContactAdd add, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        try
        {
            var response = await table.AddEntityAsync(WriteAdd(add), cancellationToken);
            add.Saved(response.Headers.ETag?.ToString());
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> TrySaveAddAsync(ContactAdd add, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(WriteAdd(add), add.Version is null ? ETag.All : new ETag(add.Version), TableUpdateMode.Replace, cancellationToken);
            add.Saved(response.Headers.ETag?.ToString());
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<WeComRelation?> GetRelationAsync(string externalUserId, string userId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(externalUserId, "rel|" + userId, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } e) return null;
        return WeComRelation.Restore(externalUserId, userId, e.GetString("State"), e.GetString("Channel") ?? "unknown", e.GetString("UnionId"),
            e.GetString("Status") == nameof(RelationStatus.Lost) ? RelationStatus.Lost : RelationStatus.Active,
            e.GetDateTimeOffset("AddedAt") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("LostAt"),
            (e.GetString("Tags") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries), e.ETag.ToString());
    }

    public async Task<bool> TrySaveRelationAsync(WeComRelation r, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        var entity = new TableEntity(r.ExternalUserId, "rel|" + r.UserId)
        {
            ["State"] = r.State,
            ["Channel"] = r.Channel,
            ["UnionId"] = r.UnionId,
            ["Status"] = r.Status.ToString(),
            ["AddedAt"] = TableDates.AtLeastEarliest(r.AddedAt),
            ["LostAt"] = r.LostAt,
            ["Tags"] = string.Join(' ', r.Tags),
        };
        if (await ConditionalWrite.TryAsync(table, entity, r.Version, cancellationToken) is not { } etag) return false;
        r.Saved(etag);
        return true;
    }

    public async Task<bool> TryMarkEventAsync(string externalUserId, string eventId, string changeType, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(externalUserId, "ev|" + eventId) { ["ChangeType"] = changeType, ["At"] = at }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<(string? Value, DateTimeOffset? At)> GetSettingAsync(string name, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(AppPartition, name, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e ? (e.GetString("Value"), e.GetDateTimeOffset("At")) : (null, null);
    }

    public async Task SetSettingAsync(string name, string value, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.WeComContacts, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(AppPartition, name) { ["Value"] = value, ["At"] = at }, TableUpdateMode.Replace, cancellationToken);
    }


    private static TableEntity WriteAdd(ContactAdd a) => new(a.ExternalUserId, "add|" + a.Id)
    {
        ["UserId"] = a.UserId,
        ["CreateTime"] = a.CreateTime,
        ["State"] = a.State,
        ["WelcomeCode"] = a.WelcomeCode,
        ["Welcome"] = a.Welcome.ToString(),
        ["WelcomeAttempts"] = a.WelcomeAttempts,
        ["WelcomeAt"] = a.WelcomeAt,
        ["LeaseHolder"] = a.LeaseHolder,
        ["LeaseUntil"] = TableDates.AtLeastEarliest(a.LeaseUntil),
        ["Completed"] = a.Completed,
    };

    private static ContactAdd ReadAdd(TableEntity e) => ContactAdd.Restore(
        e.PartitionKey, e.GetString("UserId") ?? string.Empty, e.GetInt64("CreateTime") ?? 0, e.GetString("State"), e.GetString("WelcomeCode"),
        Enum.TryParse<WelcomeStatus>(e.GetString("Welcome"), out var w) ? w : WelcomeStatus.Pending, e.GetInt32("WelcomeAttempts") ?? 0,
        e.GetDateTimeOffset("WelcomeAt"), e.GetString("LeaseHolder"), e.GetDateTimeOffset("LeaseUntil") ?? DateTimeOffset.MinValue,
        e.GetBoolean("Completed") ?? false, e.ETag.ToString());
}
