using Azure;
using Azure.Data.Tables;
using WeStore.Domain.OfficialAccount;

namespace WeStore.Storage.OfficialAccount;

/// <summary>Partition = the follower's Official Account openid: <c>follower</c>, and <c>done|{id}</c> per event or notice handled once.</summary>
internal sealed class FollowerStore(StorageClients clients) : IFollowerStore
{
    private const string Row = "follower";


    public async Task<Follower?> GetAsync(string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Followers, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(openId, Row, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } e) return null;
        return Follower.Restore(openId, e.GetString("Status") == nameof(FollowStatus.Following) ? FollowStatus.Following : FollowStatus.Unfollowed,
            e.GetString("FirstScene"), e.GetString("LastScene"), e.GetString("LastChannel") ?? "unknown", e.GetString("SubscribeScene"), e.GetString("UnionId"),
            e.GetDateTimeOffset("FollowedAt") ?? DateTimeOffset.UnixEpoch, e.GetDateTimeOffset("UnfollowedAt"), e.GetInt32("Follows") ?? 0, e.ETag.ToString());
    }

    public async Task<bool> TrySaveAsync(Follower f, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Followers, cancellationToken);
        var entity = new TableEntity(f.OpenId, Row)
        {
            ["Status"] = f.Status.ToString(),
            ["FirstScene"] = f.FirstScene,
            ["LastScene"] = f.LastScene,
            ["LastChannel"] = f.LastChannel,
            ["SubscribeScene"] = f.SubscribeScene,
            ["UnionId"] = f.UnionId,
            ["FollowedAt"] = TableDates.AtLeastEarliest(f.FollowedAt),
            ["UnfollowedAt"] = f.UnfollowedAt,
            ["Follows"] = f.Follows,
        };
        if (await ConditionalWrite.TryAsync(table, entity, f.Version, cancellationToken) is not { } etag) return false;
        f.Saved(etag);
        return true;
    }

    public async Task<bool> WasHandledAsync(string openId, string eventId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Followers, cancellationToken);
        return (await table.GetEntityIfExistsAsync<TableEntity>(openId, "done|" + eventId, ["RowKey"], cancellationToken)).HasValue;
    }

    public async Task<bool> TryMarkHandledAsync(string openId, string eventId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Followers, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(openId, "done|" + eventId), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}
