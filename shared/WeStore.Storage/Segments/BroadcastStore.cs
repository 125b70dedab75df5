using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Segments;

namespace WeStore.Storage.Segments;

/// <summary>
/// <c>Broadcasts</c>: partition <c>b|{id}</c> holds the broadcast (<c>def</c>) and its tasks at WeCom
/// (<c>t|{staff}|{chunk}</c>), so the report is one range read; <c>b|{id}|s|{staff}</c> holds one staff member's
/// recipients (row = external_userid) with a <c>!conv</c> counter changed in the same batch as a credit;
/// <c>b|{id}|skip</c> who was skipped and why; <c>index</c> the broadcasts by creation (row = yyyyMMddHHmmss|id).
/// </summary>
internal sealed class BroadcastStore(StorageClients clients) : IBroadcastStore
{
    private const string Def = "def";
    private const string Conv = "!conv";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Pk(string id) => "b|" + id;

    private static string StaffPk(string id, string staff) => $"b|{id}|s|{staff}";

    public async Task<bool> CreateAsync(Broadcast broadcast, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var d = broadcast.Definition;
        try
        {
            var response = await table.AddEntityAsync(ToEntity(broadcast), cancellationToken);
            broadcast.Saved(response.Headers.ETag?.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }

        await table.UpsertEntityAsync(new TableEntity("index", IndexRow(d)) { ["Definition"] = JsonSerializer.Serialize(d, Json) }, TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    public async Task<Broadcast?> GetAsync(string broadcastId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(broadcastId), Def, cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        var e = row.Value!;
        return Broadcast.Restore(JsonSerializer.Deserialize<BroadcastDefinition>(e.GetString("Definition")!, Json)!, e.GetString("Stage") ?? BroadcastStages.Selecting,
            e.GetString("Cursor"), e.GetInt32("Pages") ?? 0, e.GetInt64("Targeted") ?? 0,
            JsonSerializer.Deserialize<Dictionary<string, long>>(e.GetString("Skipped") ?? "{}", Json) ?? [],
            (e.GetString("Staff") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries), e.ETag.ToString());
    }

    public async Task<bool> TrySaveAsync(Broadcast broadcast, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(broadcast), new ETag(broadcast.Version!), TableUpdateMode.Replace, cancellationToken);
            broadcast.Saved(response.Headers.ETag?.ToString());
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<BroadcastDefinition>> ListSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var from = since.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var list = new List<BroadcastDefinition>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == "index" && e.RowKey.CompareTo(from) >= 0, maxPerPage: 200, cancellationToken: cancellationToken))
        {
            list.Add(JsonSerializer.Deserialize<BroadcastDefinition>(e.GetString("Definition")!, Json)!);
            if (list.Count >= 200) break;
        }

        return list;
    }

    public async Task AddRecipientsAsync(string broadcastId, IReadOnlyList<BroadcastRecipient> recipients, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        foreach (var group in recipients.GroupBy(r => r.Staff, StringComparer.Ordinal))
        {
            foreach (var chunk in group.DistinctBy(r => r.ExternalUserId).Chunk(TableBatchGuard.MaxOperations))
            {
                await table.SubmitBatchAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertMerge,
                    new TableEntity(StaffPk(broadcastId, group.Key), r.ExternalUserId) { ["OpenId"] = r.OpenId })).ToList(), cancellationToken);
            }
        }
    }

    public async Task AddSkipsAsync(string broadcastId, IReadOnlyList<(string OpenId, string Reason)> skips, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        foreach (var chunk in skips.DistinctBy(s => s.OpenId).Chunk(TableBatchGuard.MaxOperations))
        {
            await table.SubmitBatchAsync(chunk.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(Pk(broadcastId) + "|skip", s.OpenId) { ["Reason"] = s.Reason })).ToList(), cancellationToken);
        }
    }

    public async Task<(IReadOnlyList<string> ExternalUserIds, string? Next)> ReadRecipientsAsync(string broadcastId, string staff, string? continuationToken, int max, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var pk = StaffPk(broadcastId, staff);
        var ids = new List<string>();
        var token = continuationToken;
        var size = Math.Clamp(max, 1, 1000);
        // Pages of one size, so a chunk never holds more than max: a page is only read when it fits.
        await foreach (var page in table.QueryAsync<TableEntity>(e => e.PartitionKey == pk && e.RowKey != Conv, maxPerPage: size, select: ["RowKey"], cancellationToken: cancellationToken).AsPages(continuationToken, size))
        {
            ids.AddRange(page.Values.Select(v => v.RowKey));
            token = page.ContinuationToken;
            if (ids.Count + size > max || token is null) break;
        }

        return (ids, token);
    }

    public async Task<BroadcastTask?> GetTaskAsync(string broadcastId, string staff, int chunk, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(broadcastId), TaskRow(staff, chunk), cancellationToken: cancellationToken);
        return row.HasValue ? ReadTask(row.Value!) : null;
    }

    public async Task<bool> TrySaveTaskAsync(string broadcastId, BroadcastTask task, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var entity = new TableEntity(Pk(broadcastId), TaskRow(task.Staff, task.Chunk))
        {
            ["Staff"] = task.Staff, ["Chunk"] = task.Chunk, ["State"] = task.State, ["At"] = TableDates.AtLeastEarliest(task.At), ["Recipients"] = task.Recipients,
            ["MsgId"] = task.MsgId, ["Failed"] = task.Failed, ["ErrorCode"] = task.ErrorCode, ["Confirmed"] = task.Confirmed, ["Sent"] = task.Sent,
            ["NotFriend"] = task.NotFriend, ["AlreadyReceived"] = task.AlreadyReceived, ["Unsent"] = task.Unsent, ["Follows"] = task.Follows,
        };
        try
        {
            if (task.Version is null) await table.AddEntityAsync(entity, cancellationToken);
            else await table.UpdateEntityAsync(entity, new ETag(task.Version), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<BroadcastTask>> ListTasksAsync(string broadcastId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var pk = Pk(broadcastId);
        var list = new List<BroadcastTask>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == pk && e.RowKey.CompareTo("t|") >= 0 && e.RowKey.CompareTo("t}") < 0, cancellationToken: cancellationToken))
        {
            list.Add(ReadTask(e));
        }

        return list;
    }

    public async Task<bool> CreditAsync(string broadcastId, string staff, string externalUserId, string orderNo, long amount, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var pk = StaffPk(broadcastId, staff);
        return await Optimistic.RetryAsync<bool>("A broadcast's conversions", async _ =>
        {
            var recipient = await table.GetEntityIfExistsAsync<TableEntity>(pk, externalUserId, cancellationToken: cancellationToken);
            if (!recipient.HasValue) return false;
            var credited = (recipient.Value!.GetString("Credited") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            if (credited.Contains(orderNo, StringComparer.Ordinal) || credited.Count >= 50) return true;
            var conv = await table.GetEntityIfExistsAsync<TableEntity>(pk, Conv, cancellationToken: cancellationToken);
            var counter = conv.HasValue ? conv.Value! : new TableEntity(pk, Conv);
            counter["Gmv"] = (counter.GetInt64("Gmv") ?? 0) + amount;
            if (credited.Count == 0) counter["Purchasers"] = (counter.GetInt64("Purchasers") ?? 0) + 1;
            credited.Add(orderNo);
            var row = recipient.Value!;
            row["Credited"] = string.Join(' ', credited);
            try
            {
                await table.SubmitBatchAsync(
                [
                    new(TableTransactionActionType.UpdateReplace, row, row.ETag),
                    conv.HasValue ? new(TableTransactionActionType.UpdateReplace, counter, conv.Value!.ETag) : new(TableTransactionActionType.Add, counter),
                ], cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                return Attempt<bool>.Again;
            }
        }, cancellationToken, Optimistic.HotRowAttempts, i => TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 + (i * 5))));
    }

    public async Task<(long Purchasers, long Gmv)> ConversionsAsync(string broadcastId, IEnumerable<string> staff, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var rows = await Task.WhenAll(staff.Take(500).Select(async s =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(StaffPk(broadcastId, s), Conv, cancellationToken: cancellationToken);
            return row.HasValue ? (row.Value!.GetInt64("Purchasers") ?? 0, row.Value!.GetInt64("Gmv") ?? 0) : (0L, 0L);
        }));
        return (rows.Sum(r => r.Item1), rows.Sum(r => r.Item2));
    }

    public async Task<IReadOnlyDictionary<string, string>> SkipsAsync(string broadcastId, int max, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Broadcasts, cancellationToken);
        var pk = Pk(broadcastId) + "|skip";
        var skips = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == pk, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            skips[e.RowKey] = e.GetString("Reason") ?? string.Empty;
            if (skips.Count >= max) break;
        }

        return skips;
    }

    private static string TaskRow(string staff, int chunk) => $"t|{staff}|{chunk.ToString("D4", CultureInfo.InvariantCulture)}";

    private static string IndexRow(BroadcastDefinition d) => d.CreatedAt.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "|" + d.Id;

    private static TableEntity ToEntity(Broadcast b) => new(Pk(b.Definition.Id), Def)
    {
        ["Definition"] = JsonSerializer.Serialize(b.Definition, Json), ["Stage"] = b.Stage, ["Cursor"] = b.Cursor, ["Pages"] = b.Pages, ["Targeted"] = b.Targeted,
        ["Skipped"] = JsonSerializer.Serialize(b.Skipped, Json), ["Staff"] = string.Join(' ', b.Staff),
    };

    private static BroadcastTask ReadTask(TableEntity e) => new(
        e.GetString("Staff") ?? string.Empty, e.GetInt32("Chunk") ?? 0, e.GetString("State") ?? BroadcastTaskStates.Calling, e.GetDateTimeOffset("At") ?? DateTimeOffset.UnixEpoch,
        e.GetInt32("Recipients") ?? 0, e.GetString("MsgId"), e.GetInt32("Failed") ?? 0, e.GetInt32("ErrorCode"), e.GetBoolean("Confirmed") ?? false,
        e.GetInt32("Sent") ?? 0, e.GetInt32("NotFriend") ?? 0, e.GetInt32("AlreadyReceived") ?? 0, e.GetInt32("Unsent") ?? 0, e.GetInt32("Follows") ?? 0, e.ETag.ToString());
}
