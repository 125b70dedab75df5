using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.OfficialAccount;

namespace WeStore.Storage.OfficialAccount;

/// <summary>
/// Follow codes in one partition (<c>code</c>, row = scene_str), listed with one partition query; the row
/// <c>~permanent</c> counts the account's permanent codes (WeChat allows 100,000), moved under its ETag.
/// </summary>
internal sealed class FollowCodeRepository(StorageClients clients) : IFollowCodeRepository
{
    private const string Partition = "code";
    private const string PermanentRow = "~permanent";

    public async Task<bool> TryCreateAsync(FollowCode code, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FollowCodes, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(Partition, code.SceneStr)
            {
                ["Name"] = code.Name,
                ["Channel"] = code.Channel,
                ["Permanent"] = code.Permanent,
                ["CouponCampaignId"] = code.CouponCampaignId,
                ["Ticket"] = code.Ticket,
                ["Url"] = code.Url,
                ["CreatedAt"] = code.CreatedAt,
                ["ExpiresAt"] = code.ExpiresAt,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<FollowCode?> GetAsync(string sceneStr, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FollowCodes, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, sceneStr, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e ? Read(e) : null;
    }

    public async Task<IReadOnlyList<FollowCode>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FollowCodes, cancellationToken);
        var codes = new List<FollowCode>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey lt {"~"}"), cancellationToken: cancellationToken))
        {
            codes.Add(Read(e));
        }

        return codes;
    }

    public Task<bool> TryReservePermanentAsync(int limit, CancellationToken cancellationToken) => MoveAsync(+1, limit, cancellationToken);

    public Task ReleasePermanentAsync(CancellationToken cancellationToken) => MoveAsync(-1, int.MaxValue, cancellationToken);

    private async Task<bool> MoveAsync(int delta, int limit, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FollowCodes, cancellationToken);
        return await Optimistic.RetryAsync<bool>("The permanent follow-code count", async _ =>
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(Partition, PermanentRow, cancellationToken: cancellationToken);
            var count = current.HasValue ? current.Value!.GetInt32("Count") ?? 0 : 0;
            if (delta > 0 && count >= limit) return false;
            var row = new TableEntity(Partition, PermanentRow) { ["Count"] = Math.Max(0, count + delta) };
            try
            {
                if (current.HasValue) await table.UpdateEntityAsync(row, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else await table.AddEntityAsync(row, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                return Attempt<bool>.Again;
            }
        }, cancellationToken, Optimistic.HotRowAttempts, Optimistic.Jitter(5, 50));
    }

    private static FollowCode Read(TableEntity e) => FollowCode.Restore(
        e.RowKey, e.GetString("Name") ?? string.Empty, e.GetString("Channel") ?? "other", e.GetBoolean("Permanent") ?? false, e.GetString("CouponCampaignId"),
        e.GetString("Ticket") ?? string.Empty, e.GetString("Url") ?? string.Empty, e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("ExpiresAt"));
}
