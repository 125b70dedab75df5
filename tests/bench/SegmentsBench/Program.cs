using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeStore.Application;
using WeStore.Application.Segments;
using WeStore.Domain.Messaging;
using WeStore.Domain.Segments;
using WeStore.Storage;
using WeStore.WeChat;

// Usage: SegmentsBench --storage CONNECTION_STRING --members N [--concurrency 16] [--changes 300] [--steps 2000]
// Loads N members' facts (one in 20 in 浙江省), then, with the app's own services and a harness standing in for the
// host's queue polling:
//   1. one member's fact change (a paid order), 300 times: storage requests per change and its latency;
//   2. a segment page (100 members) read 50 times: requests and latency;
//   3. a new segment (province eq 浙江省) back-filled: time per member, and a floor making the same reads and, for each
//      member it adds, the same writes with no app code;
//   4. flow steps at concurrency 32 (a one-step flow per member, a subscription message the member never granted),
//      against a floor draining the same queue shape with the step's storage operations and no app code.
// Prints one line of key=value figures.
string Arg(string name, string fallback) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? fallback;
var storage = Arg("storage", "UseDevelopmentStorage=true");
var members = int.Parse(Arg("members", "10000"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("concurrency", "16"), CultureInfo.InvariantCulture);
var changes = int.Parse(Arg("changes", "300"), CultureInfo.InvariantCulture);
var steps = int.Parse(Arg("steps", "2000"), CultureInfo.InvariantCulture);
var run = Guid.NewGuid().ToString("N")[..6];

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["AzureWebJobsStorage"] = storage,
    ["Storage:NamePrefix"] = "sb" + run,
    ["WeChat:AppId"] = "wxbench",
    ["WeChat:AppSecret"] = "unused",
    ["WeCom:CorpId"] = "wwbench",
    ["WeCom:ContactSecret"] = "unused",
    ["OfficialAccount:AppId"] = "wxbenchoa",
    ["OfficialAccount:AppSecret"] = "unused",
}).Build();
var services = new ServiceCollection()
    .AddLogging(b => b.SetMinimumLevel(LogLevel.Error))
    .AddWeStoreStorage(configuration)
    .AddWeChatMiniProgram(configuration)
    .AddWeCom(configuration)
    .AddOfficialAccount(configuration)
    .AddWeStoreApplication(configuration)
    .BuildServiceProvider();
var factsStore = services.GetRequiredService<IMemberFactsStore>();
var segments = services.GetRequiredService<ISegmentStore>();
var counter = services.GetRequiredService<StorageRequestCounter>();
var clients = services.GetRequiredService<StorageClients>();
var names = services.GetRequiredService<StorageNames>();
var now = DateTimeOffset.UtcNow;

static async Task WithRetriesAsync(Func<Task> operation)
{
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            await operation();
            return;
        }
        catch (Exception e) when (attempt < 6 && e is Azure.RequestFailedException or AggregateException or TaskCanceledException or InvalidOperationException or WeStore.Domain.Common.ContentionException)
        {
            await Task.Delay(1000 * attempt);
        }
    }
}

static double Median(List<double> xs)
{
    xs.Sort();
    return xs.Count == 0 ? 0 : xs[xs.Count / 2];
}

string OpenId(int i) => $"b{run}m{i:D7}";

// Load: facts rows as the consumer writes them (joined, acquired, one in ten has paid), no segments yet.
var load = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, members), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    var f = MemberFacts.New(OpenId(i));
    f.Join(now.AddDays(-(i % 300)));
    f.SetAcquisition(i % 3 == 0 ? "packaging" : "kol", "q" + (i % 50));
    if (i % 10 == 0) f.RecordPaid("o" + i, now.AddDays(-(i % 90)), i % 20 == 0 ? "浙江省" : "广东省");
    await WithRetriesAsync(() => factsStore.TrySaveAsync(f, ct)); // a retry after a lost answer finds the row: 409, false
});
Console.Error.WriteLine($"loaded {members} members in {load.Elapsed.TotalSeconds:0.0} s");

// The harness's queue polling: receive, run the app's code, delete, as the host does (its requests are not the app's).
// Drains until `done()` holds with the queue empty; returns the messages handled and the time of the last one.
async Task<(int Count, double Seconds)> DrainAsync(string logicalQueue, int workers, Func<QueueMessage, Task> handle, Func<Task<bool>> done)
{
    var queue = await clients.GetQueueAsync(logicalQueue);
    var handled = 0;
    var clock = Stopwatch.StartNew();
    long lastTicks = 0;
    var finished = false;
    await Parallel.ForEachAsync(Enumerable.Range(0, workers), async (_, ct) =>
    {
        while (!Volatile.Read(ref finished))
        {
            var batch = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(10), ct)).Value;
            if (batch.Length == 0)
            {
                if (await done()) Volatile.Write(ref finished, true);
                else await Task.Delay(20, ct);
                continue;
            }

            foreach (var m in batch)
            {
                await WithRetriesAsync(() => handle(m));
                try
                {
                    await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, ct);
                }
                catch (Azure.RequestFailedException e) when (e.Status == 404)
                {
                    // Its invisibility ran out and another worker took it (and handled it again: the app is idempotent).
                }
                Interlocked.Increment(ref handled);
                Interlocked.Exchange(ref lastTicks, clock.Elapsed.Ticks);
            }
        }
    });
    return (handled, TimeSpan.FromTicks(Interlocked.Read(ref lastTicks)).TotalSeconds);
}

async Task<bool> EmptyAsync(string logicalQueue)
{
    var properties = await (await clients.GetQueueAsync(logicalQueue)).GetPropertiesAsync();
    return properties.Value.ApproximateMessagesCount == 0;
}

var factsService = services.GetRequiredService<MemberFactsService>();
T Read<T>(QueueMessage m) => JsonSerializer.Deserialize<T>(m.Body.ToString(), MessageJson.Options)!;

// 3. A new segment's back-fill (first, so the members it adds are in place for 1 and 2).
var segmentService = services.GetRequiredService<SegmentService>();
var before = counter.Total;
var segment = await segmentService.CreateAsync(new CreateSegmentCommand("浙江", [new SegmentRule(Facts.Province, RuleOps.Eq, Text: "浙江省")]), default);
// The back-fill's messages wait out the definitions' cache time (a segment is evaluated everywhere first); timed after.
await Task.Delay(services.GetRequiredService<SegmentCatalog>().CacheFor + TimeSpan.FromSeconds(1.2));
var backfillClock = Stopwatch.StartNew();
var backfillDone = false;
var backfillTask = Task.Run(async () =>
{
    var r = await DrainAsync(SegmentQueues.Backfill, 8, m => segmentService.BackfillAsync(Read<SegmentBackfillMessage>(m), default),
        async () => await segments.BackfilledAsync(segment.Id, default) >= factsStore.Partitions);
    Volatile.Write(ref backfillDone, true);
    return r;
});
var factsTask = DrainAsync(SegmentQueues.MemberFacts, 8, m => factsService.ApplyAsync(Read<MemberFactsMessage>(m), default),
    async () => Volatile.Read(ref backfillDone) && await EmptyAsync(SegmentQueues.MemberFacts));
await Task.WhenAll(backfillTask, factsTask);
var backfillSeconds = backfillClock.Elapsed.TotalSeconds;
var backfillRequests = counter.Total - before;
var size = await segments.SizeAsync(segment.Id, default);
var expected = (members + 19) / 20;
if (size != expected) throw new InvalidOperationException($"the segment holds {size}, not {expected}");

// The back-fill's floor: the same range reads of the 16 partitions, and for each member added the storage operations
// the facts consumer makes for it (the facts read and save, the shard counter read and the two-row batch, the
// clearing save) with no app code; the same parallelism.
var factsTable = await clients.GetTableAsync(TableNames.MemberFacts);
var floorTable = await clients.GetTableAsync(TableNames.Segments);
var floorClock = Stopwatch.StartNew();
var floorAdded = 0;
var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
// Eight at a time, as the back-fill's harness drains; each member's operations retried as a queue retry would (the
// emulator times out now and then while it holds 200,000 rows).
await Parallel.ForEachAsync(Enumerable.Range(0, 16), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, ct) =>
{
    var pk = "f" + p.ToString("x", CultureInfo.InvariantCulture);
    await foreach (var page in factsTable.QueryAsync<TableEntity>(e => e.PartitionKey == pk, maxPerPage: SegmentService.BackfillPageSize, cancellationToken: ct).AsPages(pageSizeHint: SegmentService.BackfillPageSize))
    {
        // Azurite applies an update as a remove and an insert, so a row updated while its partition is paged can come
        // round again in a later page (the app's back-fill takes that in its stride: re-evaluating is idempotent).
        foreach (var row in page.Values.Where(r => r.GetString("Province") == "浙江省" && seen.TryAdd(r.RowKey, true)))
        await WithRetriesAsync(async () =>
        {
            var fresh = (await factsTable.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: ct)).Value;
            var saved = await factsTable.UpdateEntityAsync(fresh, fresh.ETag, TableUpdateMode.Replace, ct);
            fresh.ETag = saved.Headers.ETag!.Value;
            var shard = $"m|floor{run}|{Interlocked.Increment(ref floorAdded) % 8}";
            var count = await floorTable.GetEntityIfExistsAsync<TableEntity>(shard, "!count", cancellationToken: ct);
            await floorTable.SubmitTransactionAsync(
            [
                // An upsert: a batch whose answer the emulator was too slow to give is retried by the SDK, and an add would then find itself.
                new(TableTransactionActionType.UpsertReplace, new TableEntity(shard, row.RowKey)),
                new(TableTransactionActionType.UpsertReplace, new TableEntity(shard, "!count") { ["Size"] = (count.HasValue ? count.Value!.GetInt64("Size") ?? 0 : 0) + 1 }),
            ], ct);
            try
            {
                await factsTable.UpdateEntityAsync(fresh, fresh.ETag, TableUpdateMode.Replace, ct);
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412)
            {
                // A late redelivery of the run's own facts message touched the row: read it again, as the store would.
                var again = (await factsTable.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: ct)).Value;
                await factsTable.UpdateEntityAsync(again, again.ETag, TableUpdateMode.Replace, ct);
            }
        });
    }
});
var backfillFloorSeconds = floorClock.Elapsed.TotalSeconds;

// 1. One member's fact change: a paid order, applied as the consumer applies it.
var changeLatency = new List<double>();
before = counter.Total;
for (var c = 0; c < changes; c++)
{
    var i = (c * 7919) % members;
    var sw = Stopwatch.StartNew();
    await factsService.ApplyAsync(new MemberFactsMessage(OpenId(i), FactChanges.Paid, now.AddSeconds(c), $"bench{run}{c}", "浙江省", 1000), default);
    changeLatency.Add(sw.Elapsed.TotalMilliseconds);
}

var changeRequests = (double)(counter.Total - before) / changes;
var sizeAfter = await segments.SizeAsync(segment.Id, default);

// 2. A segment page: 100 members, a range read of one partition.
var pageLatency = new List<double>();
before = counter.Total;
string? token = null;
for (var p = 0; p < 50; p++)
{
    var sw = Stopwatch.StartNew();
    var page = await segments.ReadMembersAsync(segment.Id, token, 100, default);
    pageLatency.Add(sw.Elapsed.TotalMilliseconds);
    token = page.ContinuationToken;
}

var pageRequests = (double)(counter.Total - before) / 50;

// The page's floor: the same range read (one shard partition, keys after the last, 100 rows) straight at the table.
var pageFloorLatency = new List<double>();
var segmentsTable = await clients.GetTableAsync(TableNames.Segments);
for (var p = 0; p < 50; p++)
{
    var pk = $"m|{segment.Id}|{p % 8}";
    var sw = Stopwatch.StartNew();
    await foreach (var page in segmentsTable.QueryAsync<TableEntity>(e => e.PartitionKey == pk && e.RowKey.CompareTo("!count") > 0, maxPerPage: 100, select: ["RowKey"]).AsPages(pageSizeHint: 100))
    {
        break;
    }

    pageFloorLatency.Add(sw.Elapsed.TotalMilliseconds);
}

// 4. Flow steps at concurrency 32: a one-step flow (a subscription message, with no grant: skipped) for `steps` members.
var flows = services.GetRequiredService<FlowService>();
var flow = (await flows.CreateAsync(new CreateFlowCommand("bench", FlowTriggers.Joined, null,
    [new FlowStep(0, new FlowAction(FlowActionTypes.SubscribeMessage, TemplateId: "tmplbench", Data: new Dictionary<string, string> { ["thing1"] = "hi" }))], []), default)).Value!;
await Parallel.ForEachAsync(Enumerable.Range(0, steps), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
    await WithRetriesAsync(() => flows.StartAsync(flow.Id, OpenId(i % members), "joined", now, ct)));
before = counter.Total;
var stepClock = Stopwatch.StartNew();
var (stepped, stepSeconds) = await DrainAsync(SegmentQueues.FlowSteps, 2, m => flows.StepAsync(Read<FlowStepMessage>(m), default), () => EmptyAsync(SegmentQueues.FlowSteps));
var stepRequests = (double)(counter.Total - before) / Math.Max(1, stepped);
var stats = await services.GetRequiredService<IFlowStore>().StatsAsync(flow.Id, default);
if (stats.Finished != steps) throw new InvalidOperationException($"{stats.Finished} of {steps} runs finished");

// The steps' floor: the same queue shape (a message per run, drained the same way), and per message the step's storage
// operations with no app code: the run read, the facts read, the claim's replace, the grant read, the stats read and
// the two-row batch.
var floorQueue = await clients.GetQueueAsync("floor-steps");
await Parallel.ForEachAsync(Enumerable.Range(0, steps), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
    await floorQueue.SendMessageAsync(JsonSerializer.Serialize(new { i }), ct));
var flowsTable = await clients.GetTableAsync(TableNames.Flows);
var membersTable = await clients.GetTableAsync(TableNames.Members);
var floorStepClock = Stopwatch.StartNew();
var (floorStepped, floorStepSeconds) = await DrainAsync("floor-steps", 2, async m =>
{
    var i = JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("i").GetInt32();
    var openId = OpenId(i % members);
    var pk = $"r|floor{run}|{i % 16}";
    var rk = openId + "|joined";
    var runRow = await flowsTable.GetEntityIfExistsAsync<TableEntity>(pk, rk);
    await factsTable.GetEntityAsync<TableEntity>(MemberFactsStore.PartitionOf(openId), openId);
    await membersTable.GetEntityIfExistsAsync<TableEntity>(openId, "grant|~sent|floor" + i, ["RowKey"]);
    await membersTable.GetEntityIfExistsAsync<TableEntity>(openId, "grant|tmplbench");
    // The run and its shard's counters in one batch, under their versions, as the store saves them.
    for (var attempt = 0; ; attempt++)
    {
        var statsRow = await flowsTable.GetEntityIfExistsAsync<TableEntity>(pk, "!stats");
        var stats = new TableEntity(pk, "!stats") { ["Finished"] = (statsRow.HasValue ? statsRow.Value!.GetInt64("Finished") ?? 0 : 0) + 1 };
        try
        {
            await flowsTable.SubmitTransactionAsync(
            [
                runRow.HasValue ? new(TableTransactionActionType.UpdateReplace, new TableEntity(pk, rk) { ["Step"] = 1 }, runRow.Value!.ETag) : new(TableTransactionActionType.Add, new TableEntity(pk, rk) { ["Step"] = 1 }),
                statsRow.HasValue ? new(TableTransactionActionType.UpdateReplace, stats, statsRow.Value!.ETag) : new(TableTransactionActionType.Add, stats),
            ]);
            break;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < 200)
        {
            await Task.Delay(Random.Shared.Next(1, 10 + (attempt * 5)));
        }
    }
}, () => EmptyAsync("floor-steps"));

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"members={members} segment_size={size} size_after={sizeAfter} change_requests={changeRequests:0.00} change_p50_ms={Median(changeLatency):0.0} page_requests={pageRequests:0.00} page_p50_ms={Median(pageLatency):0.0} page_floor_p50_ms={Median(pageFloorLatency):0.0} backfill_seconds={backfillSeconds:0.00} backfill_requests={backfillRequests} backfill_us_per_member={backfillSeconds * 1e6 / members:0.0} backfill_floor_seconds={backfillFloorSeconds:0.00} steps={stepped} step_seconds={stepSeconds:0.00} steps_per_second={stepped / stepSeconds:0.0} step_requests={stepRequests:0.00} floor_steps={floorStepped} floor_step_seconds={floorStepSeconds:0.00} floor_steps_per_second={floorStepped / floorStepSeconds:0.0}"));

/// <summary>The facts row's partition, as the store computes it (a hash of the openid, 16 ways).</summary>
internal static class MemberFactsStore
{
    public static string PartitionOf(string openId)
        => "f" + (System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(openId))[0] & 0x0f).ToString("x", CultureInfo.InvariantCulture);
}
