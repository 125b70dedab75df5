using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;

namespace WeStore.Storage.Attribution;

/// <summary>
/// Report counters. Partition = business day; rows <c>c|{scene}|NN</c> (a known code's shard NN), <c>u|NN</c>
/// (unknown scenes), <c>w|{state}|{staff}|NN</c> (a WeCom contact-me code and the staff member added) and
/// <c>o|{scene}|NN</c> (an Official Account follow code);
/// <c>x|{once}</c> marks an order or event already counted. Tables have no atomic increment, so a shard
/// row is read and replaced under its ETag.
/// <para>
/// Scans are the hot path (a live stream sends thousands a minute at one code), so additions are coalesced per
/// instance: while one write of a counter is in flight, later additions queue up and go out together in the next
/// write, and every caller returns only once the write holding its addition has committed. Each instance keeps to
/// its own shard and remembers the row's values and ETag from its last write, so a busy counter costs one request
/// per write, not two, and a write carries many scans. A conflict (another instance on the same shard) re-reads,
/// and repeated conflicts move this instance to another shard.
/// </para>
/// </summary>
internal sealed class AttributionCounterStore(StorageClients clients, ILogger<AttributionCounterStore> logger) : IAttributionCounters
{
    public const int Shards = 16;
    private const int MaxAttempts = 12;
    private const int MaxCells = 20_000;
    private static readonly string[] CountColumns = ["Scans", "Visitors", "ChannelVisitors", "StaffVisitors", "NewMembers", "Orders", "PaidOrders", "PaidGmv", "WecomAdds", "WecomLost", "Follows", "Unfollows"];

    private readonly ConcurrentDictionary<(string Day, string Prefix), Cell> _cells = new();
    private int _home = Random.Shared.Next(Shards);

    public async Task AddAsync(string day, CounterKey key, AttributionCounts delta, CancellationToken cancellationToken)
    {
        if (delta.IsZero) return;
        if (_cells.Count > MaxCells) Prune();
        var cell = _cells.GetOrAdd((day, Prefix(key)), k => new Cell(k.Day, k.Prefix, key));
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var startFlush = false;
        lock (cell)
        {
            cell.Pending = cell.Pending.Add(delta);
            cell.Waiters.Add(waiter);
            if (!cell.Flushing)
            {
                cell.Flushing = true;
                startFlush = true;
            }
        }

        if (startFlush) _ = Task.Run(() => FlushAsync(cell), CancellationToken.None);
        await waiter.Task.WaitAsync(cancellationToken);
    }

    public async Task<bool> AddOnceAsync(string day, CounterKey key, string once, AttributionCounts delta, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.AttributionCounters, cancellationToken);
        var marker = "x|" + once;
        return await Optimistic.RetryAsync<bool>($"The attribution counter for {key.SceneId ?? key.Channel}", async _ =>
        {
            var rowKey = Prefix(key) + Shard(Random.Shared.Next(Shards));
            var current = await table.GetEntityIfExistsAsync<TableEntity>(day, rowKey, cancellationToken: cancellationToken);
            var row = current.HasValue ? current.Value : null;
            var counts = (row is null ? AttributionCounts.Zero : ReadCounts(row)).Add(delta);
            var entity = Write(day, rowKey, key, counts);
            TableTransactionAction counter = row is null
                ? new(TableTransactionActionType.Add, entity)
                : new(TableTransactionActionType.UpdateReplace, entity, row.ETag);
            try
            {
                // The marker and the addition commit together or not at all: an order is counted exactly once.
                await table.SubmitBatchAsync([new(TableTransactionActionType.Add, new TableEntity(day, marker)), counter], cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Either the order was counted already (its marker exists) or another addition took the shard first.
                return await table.GetEntityIfExistsAsync<TableEntity>(day, marker, ["RowKey"], cancellationToken) is { HasValue: true }
                    ? false
                    : Attempt<bool>.Again;
            }
        }, cancellationToken, MaxAttempts);
    }

    public async Task<IReadOnlyList<CounterRow>> ReadDayAsync(string day, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.AttributionCounters, cancellationToken);
        // c|, u| and w| rows only; the x| markers sort after them.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day} and RowKey ge {"c|"} and RowKey lt {"x|"}");
        var sums = new Dictionary<string, CounterRow>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var prefix = row.RowKey[..(row.RowKey.LastIndexOf('|') + 1)];
            var kind = Enum.TryParse<TouchKind>(row.GetString("Kind"), out var k) ? k : TouchKind.QrCode;
            var key = row.GetString("SceneId") is { } scene
                ? new CounterKey(scene, row.GetString("Channel") ?? Channels.Unknown, row.GetString("StaffId"), kind)
                : CounterKey.UnknownScene;
            var counts = ReadCounts(row);
            sums[prefix] = sums.TryGetValue(prefix, out var sum) ? sum with { Counts = sum.Counts.Add(counts) } : new CounterRow(key, counts);
        }

        return [.. sums.Values];
    }

    private async Task FlushAsync(Cell cell)
    {
        while (true)
        {
            AttributionCounts delta;
            List<TaskCompletionSource> waiters;
            lock (cell)
            {
                if (cell.Waiters.Count == 0)
                {
                    cell.Flushing = false;
                    return;
                }

                delta = cell.Pending;
                waiters = cell.Waiters;
                cell.Pending = AttributionCounts.Zero;
                cell.Waiters = [];
            }

            try
            {
                await WriteAsync(cell, delta);
                foreach (var w in waiters) w.TrySetResult();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Attribution counter {Day} {Counter} could not be written; {Waiting} additions failed", cell.Day, cell.Prefix, waiters.Count);
                foreach (var w in waiters) w.TrySetException(e);
            }
        }
    }

    private async Task WriteAsync(Cell cell, AttributionCounts delta)
    {
        var table = await clients.GetTableAsync(TableNames.AttributionCounters);
        var conflicts = 0;
        await Optimistic.RetryAsync($"The attribution counter {cell.Prefix}", async _ =>
        {
            var rowKey = cell.Prefix + Shard(cell.Shard ??= Volatile.Read(ref _home));
            if (cell.Known is null)
            {
                var read = await table.GetEntityIfExistsAsync<TableEntity>(cell.Day, rowKey);
                cell.Known = read.HasValue && read.Value is { } row ? (ReadCounts(row), row.ETag) : (AttributionCounts.Zero, default(ETag?));
            }

            var (counts, etag) = cell.Known.Value;
            var next = counts.Add(delta);
            try
            {
                var entity = Write(cell.Day, rowKey, cell.Key, next);
                var response = etag is { } version
                    ? await table.UpdateEntityAsync(entity, version, TableUpdateMode.Replace)
                    : await table.AddEntityAsync(entity);
                cell.Known = (next, response.Headers.ETag);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance wrote this shard: read it again; keep colliding and this instance moves shard.
                cell.Known = null;
                if (++conflicts % 3 == 0)
                {
                    var moved = Random.Shared.Next(Shards);
                    cell.Shard = moved;
                    Volatile.Write(ref _home, moved);
                }

                return false;
            }
        }, CancellationToken.None, MaxAttempts);
    }

    /// <summary>Forgets idle counters (old days); a forgotten counter simply reads its row again next time.</summary>
    private void Prune()
    {
        foreach (var (key, cell) in _cells)
        {
            lock (cell)
            {
                if (!cell.Flushing) _cells.TryRemove(key, out _);
            }
        }
    }

    private static string Prefix(CounterKey key) => key switch
    {
        { Kind: TouchKind.WeComAdd } => $"w|{key.SceneId}|{key.StaffId}|",
        { Kind: TouchKind.Follow } => $"o|{key.SceneId}|",
        { Kind: TouchKind.Referral } => $"r|{key.SceneId}|",
        { SceneId: { } scene } => $"c|{scene}|",
        _ => "u|",
    };

    private static string Shard(int shard) => shard.ToString("00", CultureInfo.InvariantCulture);

    private static TableEntity Write(string day, string rowKey, CounterKey key, AttributionCounts c) => new(day, rowKey)
    {
        ["SceneId"] = key.SceneId,
        ["Channel"] = key.Channel,
        ["StaffId"] = key.StaffId,
        ["Kind"] = key.Kind == TouchKind.QrCode ? null : key.Kind.ToString(),
        ["Scans"] = c.Scans,
        ["Visitors"] = c.Visitors,
        ["ChannelVisitors"] = c.ChannelVisitors,
        ["StaffVisitors"] = c.StaffVisitors,
        ["NewMembers"] = c.NewMembers,
        ["Orders"] = c.Orders,
        ["PaidOrders"] = c.PaidOrders,
        ["PaidGmv"] = c.PaidGmv,
        ["WecomAdds"] = c.WecomAdds,
        ["WecomLost"] = c.WecomLost,
        ["Follows"] = c.Follows,
        ["Unfollows"] = c.Unfollows,
    };

    private static AttributionCounts ReadCounts(TableEntity e)
    {
        long Get(string column) => e.GetInt64(column) ?? 0;
        return new(Get(CountColumns[0]), Get(CountColumns[1]), Get(CountColumns[2]), Get(CountColumns[3]), Get(CountColumns[4]),
            Get(CountColumns[5]), Get(CountColumns[6]), Get(CountColumns[7]), Get(CountColumns[8]), Get(CountColumns[9]), Get(CountColumns[10]), Get(CountColumns[11]));
    }

    private sealed class Cell(string day, string prefix, CounterKey key)
    {
        public string Day { get; } = day;

        public string Prefix { get; } = prefix;

        public CounterKey Key { get; } = key;

        public AttributionCounts Pending { get; set; } = AttributionCounts.Zero;

        public List<TaskCompletionSource> Waiters { get; set; } = [];

        public bool Flushing { get; set; }

        public int? Shard { get; set; }

        /// <summary>The row's values and ETag as of this instance's last read or write (no ETag: the row did not exist).</summary>
        public (AttributionCounts Counts, ETag? ETag)? Known { get; set; }
    }
}
