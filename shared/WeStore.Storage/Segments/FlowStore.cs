using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Segments;

namespace WeStore.Storage.Segments;

/// <summary>
/// <c>Flows</c>: partition <c>def</c> holds the definitions; runs sit in 16 partitions <c>r|{flowId}|{shard}</c>
/// (row = openid|occurrence), each with a <c>!stats</c> row changed in the same batch as the run it counts.
/// </summary>
internal sealed class FlowStore(StorageClients clients) : IFlowStore
{
    public const int Shards = 16;
    private const string Stats = "!stats";
    private const string Def = "def";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string RunPartition(string flowId, string openId) => $"r|{flowId}|{SHA256.HashData(Encoding.UTF8.GetBytes(openId))[2] % Shards}";

    private static string RunRow(string openId, string occurrence) => openId + "|" + occurrence;

    public async Task<bool> CreateAsync(FlowDefinition flow, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Flows, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(Def, flow.Id)
            {
                ["Name"] = flow.Name, ["Trigger"] = flow.Trigger, ["SegmentId"] = flow.SegmentId, ["Steps"] = JsonSerializer.Serialize(flow.Steps, Json),
                ["StopWhen"] = string.Join(' ', flow.StopWhen), ["CreatedAt"] = flow.CreatedAt,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<FlowDefinition?> GetAsync(string flowId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Flows, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Def, flowId, cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    public async Task<IReadOnlyList<FlowDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Flows, cancellationToken);
        var list = new List<FlowDefinition>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == Def, cancellationToken: cancellationToken)) list.Add(Read(e));
        return list;
    }

    public async Task<FlowRun?> GetRunAsync(string flowId, string openId, string occurrence, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Flows, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(RunPartition(flowId, openId), RunRow(openId, occurrence), cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        var e = row.Value!;
        return FlowRun.Restore(flowId, openId, occurrence, e.GetDateTimeOffset("EnteredAt") ?? DateTimeOffset.UnixEpoch, e.GetInt32("Step") ?? 0,
            Enum.TryParse<FlowRunState>(e.GetString("State"), out var state) ? state : FlowRunState.Running, e.GetString("StopReason"),
            e.GetInt32("ClaimStep"), e.GetDateTimeOffset("ClaimUntil"), Lines(e.GetString("Results")), Words(e.GetString("Credited")), e.ETag.ToString());
    }

    public Task<bool> TryAddRunAsync(FlowRun run, CancellationToken cancellationToken)
        => TrySaveRunAsync(run, new FlowStatsDelta(Entered: 1, Running: 1), cancellationToken);

    public async Task<bool> TrySaveRunAsync(FlowRun run, FlowStatsDelta? delta, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Flows, cancellationToken);
        var pk = RunPartition(run.FlowId, run.OpenId);
        var entity = new TableEntity(pk, RunRow(run.OpenId, run.Occurrence))
        {
            ["EnteredAt"] = TableDates.AtLeastEarliest(run.EnteredAt), ["Step"] = run.Step, ["State"] = run.State.ToString(), ["StopReason"] = run.StopReason,
            ["ClaimStep"] = run.ClaimStep, ["ClaimUntil"] = run.ClaimUntil, ["Results"] = string.Join('\n', run.Results), ["Credited"] = string.Join(' ', run.CreditedOrders),
        };
        var runAction = run.Version is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(run.Version));
        if (delta is null || delta == new FlowStatsDelta())
        {
            try
            {
                var response = run.Version is null ? await table.AddEntityAsync(entity, cancellationToken) : await table.UpdateEntityAsync(entity, new ETag(run.Version), TableUpdateMode.Replace, cancellationToken);
                run.Saved(response.Headers.ETag?.ToString());
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                return false;
            }
        }

        return await Optimistic.RetryAsync<bool>("A flow's counters", async _ =>
        {
            var stats = await table.GetEntityIfExistsAsync<TableEntity>(pk, Stats, cancellationToken: cancellationToken);
            var row = stats.HasValue ? stats.Value! : new TableEntity(pk, Stats);
            Apply(row, delta);
            var actions = new List<TableTransactionAction>
            {
                runAction,
                stats.HasValue ? new(TableTransactionActionType.UpdateReplace, row, stats.Value!.ETag) : new(TableTransactionActionType.Add, row),
            };
            try
            {
                var response = await table.SubmitBatchAsync(actions, cancellationToken);
                run.Saved(response.Value[0].Headers.ETag?.ToString());
                return true;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status is 409 or 412)
            {
                return false; // the run itself changed (or exists): the caller reads it again
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                return Attempt<bool>.Again;
            }
        }, cancellationToken, Optimistic.HotRowAttempts, i => TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 + (i * 5))));
    }

    public async Task<FlowStats> StatsAsync(string flowId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Flows, cancellationToken);
        var rows = await Task.WhenAll(Enumerable.Range(0, Shards).Select(async s =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>($"r|{flowId}|{s}", Stats, cancellationToken: cancellationToken);
            return row.HasValue ? row.Value : null;
        }));
        var present = rows.Where(r => r is not null).Select(r => r!).ToList();
        var stopped = StopReasons.All.ToDictionary(r => r, r => present.Sum(x => x.GetInt64("Stopped_" + r) ?? 0), StringComparer.Ordinal);
        return new FlowStats(present.Sum(r => r.GetInt64("Entered") ?? 0), present.Sum(r => r.GetInt64("Running") ?? 0), present.Sum(r => r.GetInt64("Finished") ?? 0),
            stopped, present.Sum(r => r.GetInt64("Purchasers") ?? 0), present.Sum(r => r.GetInt64("Gmv") ?? 0));
    }

    private static void Apply(TableEntity row, FlowStatsDelta d)
    {
        void Add(string name, long by)
        {
            if (by != 0) row[name] = (row.GetInt64(name) ?? 0) + by;
        }

        Add("Entered", d.Entered);
        Add("Running", d.Running);
        Add("Finished", d.Finished);
        Add("Purchasers", d.Purchasers);
        Add("Gmv", d.Gmv);
        if (d.StoppedBy is { } reason) Add("Stopped_" + reason, 1);
    }

    private static FlowDefinition Read(TableEntity e) => new(
        e.RowKey, e.GetString("Name") ?? e.RowKey, e.GetString("Trigger") ?? FlowTriggers.Joined, e.GetString("SegmentId"),
        JsonSerializer.Deserialize<List<FlowStep>>(e.GetString("Steps") ?? "[]", Json) ?? [], Words(e.GetString("StopWhen")), e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch);

    private static string[] Words(string? s) => string.IsNullOrEmpty(s) ? [] : s.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Lines(string? s) => string.IsNullOrEmpty(s) ? [] : s.Split('\n');
}
