using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeStore.Application;
using WeStore.Application.Loyalty;
using WeStore.Domain.Common;
using WeStore.Domain.Loyalty;
using WeStore.Domain.Messaging;
using WeStore.Storage;
using WeStore.WeChat;

// Usage: ExpiryBench --storage CONNECTION_STRING --members N [--expiring 10000] [--concurrency 64]
// Loads N members, each with one lot; `expiring` of them expire on one day, the rest on 300 other days. Then expires
// that day as the app does (the timer's fan-out, then one queue function run per message) and prints one line:
// members, lots, seconds, storage requests, and the managed heap's peak during the run.
string Arg(string name, string fallback) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? fallback;
var storage = Arg("storage", "UseDevelopmentStorage=true");
var members = int.Parse(Arg("members", "10000"), CultureInfo.InvariantCulture);
var expiring = int.Parse(Arg("expiring", "10000"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("concurrency", "64"), CultureInfo.InvariantCulture);
var run = Guid.NewGuid().ToString("N")[..6];

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["AzureWebJobsStorage"] = storage,
    ["WeChat:AppId"] = "wxbench",
    ["WeChat:AppSecret"] = "unused",
}).Build();
var services = new ServiceCollection()
    .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
    .AddWeStoreStorage(configuration)
    .AddWeChatMiniProgram(configuration)
    .AddWeStoreApplication(configuration)
    .BuildServiceProvider();
var points = services.GetRequiredService<IPointsRepository>();
var index = services.GetRequiredService<IPointsExpiryIndex>();
var counter = services.GetRequiredService<StorageRequestCounter>();
var rules = services.GetRequiredService<LoyaltyService>().Rules;
// A day of this run's own, far enough ahead that nothing else expires on it.
var day = new DateOnly(2035, 1, 1).AddDays(Random.Shared.Next(0, 3000));

// The emulator stalls now and then under this load; an operation is retried as the queue would retry a message.
static async Task WithRetriesAsync(Func<Task> operation)
{
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            await operation();
            return;
        }
        catch (Exception e) when (attempt < 6 && e is Azure.RequestFailedException or AggregateException or TaskCanceledException or InvalidOperationException)
        {
            await Task.Delay(1000 * attempt);
        }
    }
}

var load = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, members), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    var openId = $"b{run}m{i:D7}";
    var expiresOn = i < expiring ? day : day.AddDays(1 + (i % 300));
    var account = PointsAccount.Open(openId);
    account.Earn("o" + i.ToString(CultureInfo.InvariantCulture), 10_000 + (i % 50_000), BusinessCalendar.StartOf(expiresOn.AddMonths(-rules.LotMonths)).AddHours(10), rules);
    var lot = account.LotFrom("o" + i.ToString(CultureInfo.InvariantCulture))!;
    await WithRetriesAsync(() => index.AddAsync(lot.ExpiresOn, openId, lot.Key, ct));
    await WithRetriesAsync(() => points.TrySaveAsync(account, null, ct));
});
Console.Error.WriteLine($"loaded {members} members in {load.Elapsed.TotalSeconds:0.0} s");

// The run: the app's fan-out into a queue of this run's own, then each message through the queue function's code.
var queueName = "bench-expiry-" + run;
var queue = new QueueClient(storage, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
await queue.CreateIfNotExistsAsync();
var sender = services.GetRequiredService<IMessageSender>();
var expiry = ActivatorUtilities.CreateInstance<PointsExpiryService>(services, new RenamingSender(sender, queueName));
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
var baseline = GC.GetTotalMemory(forceFullCollection: true);
long peak = 0;
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        peak = Math.Max(peak, GC.GetTotalMemory(false));
        await Task.Delay(5);
    }
});

var before = counter.Total;
var clock = Stopwatch.StartNew();
var fanOut = await expiry.FanOutAsync(day, LoyaltyQueues.Expiry, default);
var fanOutSeconds = clock.Elapsed.TotalSeconds;
var fanOutRequests = counter.Total - before;
var processed = 0;
await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (_, ct) =>
{
    while (true)
    {
        var batch = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(5), ct)).Value;
        if (batch.Length == 0) return;
        foreach (var m in batch)
        {
            await WithRetriesAsync(() => expiry.ExpireAsync(JsonSerializer.Deserialize<PointsExpiryMessage>(m.Body, MessageJson.Options)!, ct));
            await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, ct);
            Interlocked.Increment(ref processed);
        }
    }
});
var seconds = clock.Elapsed.TotalSeconds;
sampling.Cancel();
await sampler;
// Storage requests of the app's own code (fan-out and expiry); this harness's receives and deletes stand in for the host's.
var requests = counter.Total - before;

// Check: every expiring member is at zero, the others untouched (a sample of each).
var sample = Enumerable.Range(0, Math.Min(expiring, 50)).Select(i => i * (expiring / Math.Min(expiring, 50)))
    .Concat(Enumerable.Range(0, Math.Min(members - expiring, 50)).Select(i => expiring + i));
foreach (var i in sample)
{
    var account = await points.GetAsync($"b{run}m{i:D7}", default);
    if ((account.Balance == 0) != (i < expiring)) throw new InvalidOperationException($"member {i}: balance {account.Balance}");
}

await queue.DeleteIfExistsAsync();

// The floor, on the same store: per lot, the app's own storage operations without its code: a point read of a
// member's points row, then one batch in that partition that replaces the row (conditionally, as read) and adds a
// ledger row; same parallelism. If the emulator's own cost per operation grows with the table, this shows it apart
// from the app's. (Members past the expiring ones where there are any.)
var members_ = new Azure.Data.Tables.TableClient(storage, TableNames.Members);
var floorClock = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, fanOut.Lots), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
{
    var openId = $"b{run}m{(expiring + i) % members:D7}"; // one member per lot, as in the run
    var row = (await members_.GetEntityAsync<Azure.Data.Tables.TableEntity>(openId, "points", cancellationToken: ct)).Value;
    await members_.SubmitTransactionAsync(
    [
        new(Azure.Data.Tables.TableTransactionActionType.UpdateReplace, row, row.ETag),
        new(Azure.Data.Tables.TableTransactionActionType.Add, new Azure.Data.Tables.TableEntity(openId, $"floor|{i}") { ["Delta"] = -1L, ["Kind"] = "floor" }),
    ], ct);
});
var floorSeconds = floorClock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"members={members} lots_expired={fanOut.Lots} messages={fanOut.Messages} processed={processed} seconds={seconds:0.00} fanout_seconds={fanOutSeconds:0.00} storage_requests={requests} fanout_requests={fanOutRequests} requests_per_lot={(double)requests / fanOut.Lots:0.00} floor_seconds={floorSeconds:0.00} peak_heap_mb={(peak - baseline) / 1048576.0:0.0}"));

/// <summary>Sends the fan-out to this run's own queue.</summary>
internal sealed class RenamingSender(IMessageSender inner, string queue) : IMessageSender
{
    public Task SendAsync<T>(string queueName, T message, TimeSpan? delay = null, CancellationToken cancellationToken = default)
        => inner.SendAsync(queue, message, delay, cancellationToken);
}
