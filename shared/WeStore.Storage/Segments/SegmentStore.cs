using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Segments;

namespace WeStore.Storage.Segments;

/// <summary>
/// <c>Segments</c>: partition <c>def</c> holds the definitions; a segment's members sit in 8 partitions
/// <c>m|{id}|{shard}</c> (row = openid), each with a <c>!count</c> row (a key sorting before any openid; # is not allowed in keys) changed in the same batch as its member rows,
/// so the size is exact without a scan; <c>h|{id}</c> holds one row per day with that day's size.
/// </summary>
internal sealed partial class SegmentStore(StorageClients clients) : ISegmentStore
{
    public const int Shards = 8;
    private const string Count = "!count";
    private const string Def = "def";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static int ShardOf(string openId) => SHA256.HashData(Encoding.UTF8.GetBytes(openId))[1] % Shards;

    private static string MemberPartition(string segmentId, int shard) => $"m|{segmentId}|{shard}";

    public async Task<bool> CreateAsync(SegmentDefinition segment, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(Def, segment.Id)
            {
                ["Name"] = segment.Name,
                ["Rules"] = JsonSerializer.Serialize(segment.Rules, Json),
                ["CreatedAt"] = segment.CreatedAt,
                ["Backfilled"] = 0L,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<SegmentDefinition?> GetAsync(string segmentId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Def, segmentId, cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    public async Task<IReadOnlyList<SegmentDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        var list = new List<SegmentDefinition>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == Def, cancellationToken: cancellationToken)) list.Add(Read(e));
        return list;
    }

    public Task<bool> AddMemberAsync(string segmentId, string openId, CancellationToken cancellationToken)
        => ChangeAsync(segmentId, openId, +1, cancellationToken);

    public Task<bool> RemoveMemberAsync(string segmentId, string openId, CancellationToken cancellationToken)
        => ChangeAsync(segmentId, openId, -1, cancellationToken);

    private async Task<bool> ChangeAsync(string segmentId, string openId, int delta, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        var pk = MemberPartition(segmentId, ShardOf(openId));
        return await Optimistic.RetryAsync<bool>("A segment's member count", async _ =>
        {
            var counter = await table.GetEntityIfExistsAsync<TableEntity>(pk, Count, cancellationToken: cancellationToken);
            var count = counter.HasValue ? counter.Value!.GetInt64("Size") ?? 0 : 0;
            var countRow = new TableEntity(pk, Count) { ["Size"] = count + delta };
            var actions = new List<TableTransactionAction>
            {
                delta > 0
                    ? new(TableTransactionActionType.Add, new TableEntity(pk, openId))
                    : new(TableTransactionActionType.Delete, new TableEntity(pk, openId), ETag.All),
                counter.HasValue ? new(TableTransactionActionType.UpdateReplace, countRow, counter.Value!.ETag) : new(TableTransactionActionType.Add, countRow),
            };
            try
            {
                await table.SubmitBatchAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status is 409 or 404)
            {
                return false; // already in (or already out): nothing to count
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                return Attempt<bool>.Again; // the counter moved: read it again
            }
        }, cancellationToken, Optimistic.HotRowAttempts, i => TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 + (i * 5))));
    }

    public async Task<bool> IsMemberAsync(string segmentId, string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        return (await table.GetEntityIfExistsAsync<TableEntity>(MemberPartition(segmentId, ShardOf(openId)), openId, ["RowKey"], cancellationToken)).HasValue;
    }

    public async Task<long> SizeAsync(string segmentId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        var counts = await Task.WhenAll(Enumerable.Range(0, Shards).Select(async s =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(MemberPartition(segmentId, s), Count, cancellationToken: cancellationToken);
            return row.HasValue ? row.Value!.GetInt64("Size") ?? 0 : 0;
        }));
        return counts.Sum();
    }

    public async Task<SegmentMemberPage> ReadMembersAsync(string segmentId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        var (shard, after) = ContinuationTokens.Decode(continuationToken, TokenShape()) is { } text
            ? (int.Parse(text[..1], CultureInfo.InvariantCulture), text[2..])
            : (0, string.Empty);
        var ids = new List<string>();
        // Bounded: each read is one partition's range read; a server page cut short (Azure may return fewer rows with a
        // continuation) is read on from its last row rather than taken for the partition's end.
        for (var reads = 0; shard < Shards && ids.Count < pageSize && reads < 2 * Shards; reads++)
        {
            var pk = MemberPartition(segmentId, shard);
            // Rows after the last one returned (the count row, "!count", sorts first).
            var floor = after.Length > 0 ? after : Count;
            var want = pageSize - ids.Count;
            var more = false;
            await foreach (var page in table.QueryAsync<TableEntity>(e => e.PartitionKey == pk && e.RowKey.CompareTo(floor) > 0, maxPerPage: want, select: ["RowKey"], cancellationToken: cancellationToken).AsPages(pageSizeHint: want))
            {
                var got = page.Values.Select(v => v.RowKey).Take(want).ToList();
                ids.AddRange(got);
                if (got.Count > 0) after = got[^1];
                more = page.ContinuationToken is not null || got.Count == want;
                break;
            }

            if (!more)
            {
                shard++;
                after = string.Empty;
            }
        }

        var next = shard < Shards && ids.Count > 0 ? ContinuationTokens.Encode($"{shard}|{after}") : null;
        return new SegmentMemberPage(ids, next);
    }

    public async Task RecordSizeAsync(string segmentId, DateOnly day, long size, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity("h|" + segmentId, BusinessCalendar.DayKey(day)) { ["Size"] = size }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<SegmentSizeOnDay>> HistoryAsync(string segmentId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        var pk = "h|" + segmentId;
        var list = new List<SegmentSizeOnDay>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == pk, maxPerPage: 400, cancellationToken: cancellationToken))
        {
            list.Add(new(DateOnly.ParseExact(e.RowKey, "yyyyMMdd", CultureInfo.InvariantCulture), e.GetInt64("Size") ?? 0));
            if (list.Count >= 400) break;
        }

        return list;
    }

    public async Task<int> MarkBackfilledAsync(string segmentId, int partition, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        return await Optimistic.RetryAsync<int>("A segment's back-fill", async _ =>
        {
            var row = (await table.GetEntityAsync<TableEntity>(Def, segmentId, cancellationToken: cancellationToken)).Value;
            var mask = row.GetInt64("Backfilled") ?? 0;
            var updated = mask | (1L << partition);
            if (updated == mask) return PopCount(mask);
            row["Backfilled"] = updated;
            try
            {
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
                return PopCount(updated);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                return Attempt<int>.Again;
            }
        }, cancellationToken, Optimistic.HotRowAttempts, i => TimeSpan.FromMilliseconds(Random.Shared.Next(1, 20)));
    }

    public async Task<int> BackfilledAsync(string segmentId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Segments, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Def, segmentId, ["Backfilled"], cancellationToken);
        return row.HasValue ? PopCount(row.Value!.GetInt64("Backfilled") ?? 0) : 0;
    }

    private static int PopCount(long mask) => System.Numerics.BitOperations.PopCount((ulong)mask);

    private static SegmentDefinition Read(TableEntity e) => new(
        e.RowKey, e.GetString("Name") ?? e.RowKey, JsonSerializer.Deserialize<List<SegmentRule>>(e.GetString("Rules") ?? "[]", Json) ?? [], e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch);

    [GeneratedRegex("^[0-7]\\|[A-Za-z0-9_-]{0,64}$")]
    private static partial Regex TokenShape();
}
