using System.Globalization;
using System.Text;
using WeStore.Load;
using WeStore.Load.Invariants;
using WeStore.Load.Scenarios;

// Bounded load against a running store (loopback only). Commands:
//   get          --url URL --path PATH                    a plain GET
//   login        --url URL --key KEY [--returning]        POST /api/auth/login with new (or returning) shoppers
//   orders       --url URL --key KEY [--shoppers N]       POST /api/orders, one SKU per order (imports its own SKU)
//   orders-floor --storage CONNECTION_STRING             the same storage operations straight at the emulator
//   notify       --url URL --key KEY --sandbox-data DIR --appid APPID   signed notifications, one per placed order
//   notify-floor --storage CONNECTION_STRING             a notification's storage operations straight at the emulator
//   claims       --url URL --key KEY                     members claiming from one campaign (stock = members, limit 1)
//   scans        --url URL --key KEY [--shoppers N] [--scene S]  members scanning one QR code (created unless --scene)
//   flash        --url URL --key KEY --sandbox URL [--shoppers N] [--stock N]  a flash sale: N buyers, one SKU with
//                small stock, one order each at once; then every order is paid at the sandbox and checked paid.
//                Exits 3 unless exactly `stock` orders were taken, all paid, and every other buyer got 409.
//   storm        --url URL --key KEY --sandbox URL --sandbox-data DIR --appid APPID [--requests N]  N orders placed, then
//                each paid at the sandbox, its notification delivered 3 more times at once (each retried to 204) and a
//                forged one mixed in. Exits 3 unless every order ends paid and every forgery is refused.
//   mixed        --url URL --key KEY --sandbox URL [--requests N] [--settle-seconds S]  N shoppers' visits: login, scan,
//                browse, claim, order, then pay / cancel / time out / pay and refund. Exits 3 unless every order ends
//                in the state its visit leads to (waiting up to S seconds: unpaid orders close after the payment window).
//   check        --storage CS --sandbox URL [--settle-seconds S]  the invariant checker on the whole store: waits up to
//                S seconds for the queues to drain, then checks; prints each violation and exits 4 if there is any.
//   shipments    --url URL --key KEY --sandbox URL [--lines N] [--storage CS]  CSV imports of N lines (default 50), one
//                whole-order package per line, over orders placed and paid first (not measured; with --storage, the
//                store's queues are let drain before measuring); shipments/s = rps × N
//   shipments-floor --storage CS [--lines N]             the same storage operations per shipment straight at the emulator
//   push         --url URL --key KEY --push-token T --push-key K --appid APPID   signed, encrypted Mini Program pushes
//                (subscription grants of distinct members): the answer's latency, which must not wait for the consumer
//   reconcile    --url URL --key KEY --sandbox URL --storage CS [--lines N] [--requests ROUNDS]  a day of N bill lines
//                (the sandbox's synthetic payments, the same in the store's ledger) reconciled by the store, then the
//                floor (the same storage reads and the same file, no host), ROUNDS times
//   wecom-callback --url URL --push-token T --push-key K --appid CORPID   signed, encrypted WeCom callbacks (edits of
//                distinct contacts): the answer's latency; the consumer records each once beside it
//   wecom-callback-floor --storage CS                    the same message enqueued straight at the emulator, and a
//                consumer doing the same insert and delete
//   wecom-burst  --url URL --key KEY --sandbox URL [--requests N] [--storage CS]  N new WeChat users adding a staff
//                member through one contact-me code at once (the sandbox pushes each add); then every welcome's delay
//                from its event (target: all within 20 s) and the storage requests per add, consumers included
//   oa-push      --url URL --push-token T --push-key K --appid APPID   signed, encrypted Official Account pushes
//                (unfollows of distinct openids): the answer's latency; oa-push-floor the same enqueue and consumer work
//   oa-follows   --url URL --key KEY --sandbox URL [--requests N] [--storage CS]  N new followers through one follow
//                code at once (the sandbox pushes each subscribe); the storage requests per follow, consumers included
//   group-buy    --url URL --key KEY --sandbox URL [--stock TEAMS] [--shoppers JOINERS]  TEAMS teams of 3 opened, then
//                JOINERS members joining at once; payments, the deadline on moved clocks, refunds finished at the sandbox:
//                teams won, failed and over-filled, joins/s, storage per join, storage per failed team's timeout
//   get with --key sends the operator key (e.g. --path "/api/manage/reports/attribution?groupBy=qrcode")
// Common: [--concurrency N] [--requests N] [--seconds N] [--warmup N]
var options = Options.Parse(args);
using var client = LoadRunner.CreateClient(options.Url, options.Concurrency);
var api = new StoreApi(client, options.Key);
var run = Guid.NewGuid().ToString("N")[..8];

Func<int, CancellationToken, Task<int>>? send;
Func<LoadResult, Task<int>>? finish = null;
switch (options.Command)
{
    case "get":
        send = async (_, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, options.Path);
            if (options.Key is not null) request.Headers.Add("x-functions-key", options.Key);
            using var response = await client.SendAsync(request, ct);
            await response.Content.CopyToAsync(Stream.Null, ct);
            return (int)response.StatusCode;
        };
        break;
    case "login":
        // New shoppers get a fresh code stem each time; returning ones cycle through a pool seen in the warm-up.
        send = async (n, ct) =>
        {
            var stem = options.Returning ? $"load{run}r{n % 200}" : $"load{run}n{n}";
            using var content = new StringContent($$"""{"code":"{{stem}}.{{n}}"}""", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/api/auth/login", content, ct);
            await response.Content.CopyToAsync(Stream.Null, ct);
            return (int)response.StatusCode;
        };
        break;
    case "orders":
        var sku = $"load-{run}";
        await api.ImportSkuAsync($"loadp-{run}", sku, 100, 5_000_000, 16);
        var tokens = await Task.WhenAll(Enumerable.Range(0, options.Shoppers).Select(i => api.LoginAsync($"load{run}s{i}.1")));
        send = (n, ct) => api.PlaceOrderAsync(tokens[n % tokens.Length], $"{run}-{n}", sku, 1, ct);
        break;
    case "notify":
        var scenario = new NotifyScenario(client, api, options.SandboxData ?? throw new ArgumentException("--sandbox-data is required"),
            options.AppId ?? throw new ArgumentException("--appid is required"));
        await scenario.SetupAsync(run, options.Requests + options.Warmup, options.Concurrency);
        // Warm-up notifications take the last orders; the measured run takes the first ones, each once.
        send = (n, ct) => scenario.SendAsync(n >= 100_000_000 ? options.Requests + (n - 100_000_000) : n, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rsa2048_verify_us={NotifyScenario.MeasureRsaVerifyMicroseconds():0.0}"));
        break;
    case "notify-floor":
        var notifyFloor = new NotifyFloor(options.Storage ?? throw new ArgumentException("--storage is required"), run);
        await notifyFloor.SetupAsync(options.Requests + options.Warmup);
        send = (n, ct) => notifyFloor.SendAsync(n >= 100_000_000 ? options.Requests + (n - 100_000_000) : n, ct);
        finish = async result =>
        {
            await notifyFloor.DisposeAsync(); // stops its order-paid consumer, letting the fulfilments under way finish
            return result.Statuses.Keys.All(s => s is >= 200 and < 300) ? 0 : 1;
        };
        break;
    case "claims":
        // One campaign, many members each claiming once: every claim contends for the campaign's counter.
        var members = options.Requests + options.Warmup;
        var campaignId = await api.CreateCampaignAsync(members, 1);
        var claimTokens = new string[members];
        await LoadRunner.RunAsync("setup", options.Concurrency, members, TimeSpan.FromMinutes(5), async (n, ct) =>
        {
            claimTokens[n] = await api.LoginAsync($"cload{run}m{n}.1", ct);
            return 200;
        });
        send = (n, ct) => api.ClaimAsync(claimTokens[n >= 100_000_000 ? options.Requests + (n - 100_000_000) : n], campaignId, ct);
        break;
    case "scans":
        var scene = options.Scene ?? await api.CreateQrCodeAsync("live");
        Console.WriteLine($"scene={scene}");
        var scanTokens = new string[options.Shoppers];
        await LoadRunner.RunAsync("setup", options.Concurrency, options.Shoppers, TimeSpan.FromMinutes(5), async (n, ct) =>
        {
            scanTokens[n] = await api.LoginAsync($"sload{run}m{n}.1", ct);
            return 200;
        });
        send = (n, ct) => api.ScanAsync(scanTokens[n % scanTokens.Length], scene, ct);
        break;
    case "flash":
        var flashSku = $"flash-{run}";
        await api.ImportSkuAsync($"flashp-{run}", flashSku, 990, options.Stock, 8);
        var flashTokens = new string[options.Shoppers];
        await LoadRunner.RunAsync("setup", options.Concurrency, options.Shoppers, TimeSpan.FromMinutes(5), async (n, ct) =>
        {
            flashTokens[n] = await api.LoginAsync($"flash{run}b{n}.1", ct);
            return 200;
        });
        var won = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        send = async (n, ct) =>
        {
            var (status, orderNo) = await api.PlaceOrderForNumberAsync(flashTokens[n % flashTokens.Length], $"flash-{n}", flashSku, 1, ct);
            if (orderNo is not null) won[orderNo] = flashTokens[n % flashTokens.Length];
            return status;
        };
        finish = async result =>
        {
            var pay = new SandboxPay(SandboxClient());
            var orders = won.Select(w => (Token: w.Value, OrderNo: w.Key)).ToList();
            await LoadRunner.RunAsync("pay", 16, orders.Count, TimeSpan.FromMinutes(5), (n, ct) => pay.PayAsync(orders[n].OrderNo, ct));
            var paid = await api.WaitUntilPaidAsync(orders, TimeSpan.FromSeconds(20));
            var refused = result.Statuses.GetValueOrDefault(409);
            var ok = won.Count == options.Stock && paid == won.Count && refused == result.Requests - won.Count;
            Console.WriteLine($"flash: {won.Count} orders for stock {options.Stock} ({Math.Max(0, won.Count - options.Stock)} oversold), {paid} paid, {refused} refused (409) {(ok ? "OK" : "VIOLATED")}");
            return ok ? 0 : 3;
        };
        break;
    case "storm":
        var stormOrders = new NotifyScenario(client, api, options.SandboxData ?? throw new ArgumentException("--sandbox-data is required"),
            options.AppId ?? throw new ArgumentException("--appid is required"));
        await stormOrders.SetupAsync(run, options.Requests, options.Concurrency);
        var storm = new StormScenario(api, new SandboxPay(SandboxClient()), stormOrders);
        send = storm.SendAsync;
        finish = _ => storm.FinishAsync();
        break;
    case "mixed":
        var mixed = new MixedDayScenario(api, new SandboxPay(SandboxClient()), run);
        await mixed.SetupAsync(options.Requests);
        send = mixed.VisitAsync;
        finish = _ => mixed.FinishAsync(TimeSpan.FromSeconds(options.SettleSeconds));
        break;
    case "check":
        return await CheckCommand.RunAsync(options.Storage ?? throw new ArgumentException("--storage is required"),
            options.Sandbox ?? throw new ArgumentException("--sandbox is required"), options.SettleSeconds);
    case "shipments":
        var shipments = new ShipmentScenario(client, api, new SandboxPay(SandboxClient()), options.Key, options.Lines, options.Storage);
        await shipments.SetupAsync(run, options.Requests + options.Warmup, options.Concurrency * 4);
        Console.WriteLine($"orders={shipments.Orders} lines_per_file={options.Lines}");
        send = (n, ct) => shipments.SendAsync(n >= 100_000_000 ? options.Requests + (n - 100_000_000) : n, ct);
        break;
    case "shipments-floor":
        var shipmentFloor = new ShipmentFloor(options.Storage ?? throw new ArgumentException("--storage is required"), run, options.Lines);
        await shipmentFloor.SetupAsync(options.Requests + options.Warmup);
        send = (n, ct) => shipmentFloor.SendAsync(n >= 100_000_000 ? options.Requests + (n - 100_000_000) : n, ct);
        finish = async result =>
        {
            await shipmentFloor.DisposeAsync(); // stops its consumers, letting the ones under way finish
            return result.Statuses.Keys.All(s => s is >= 200 and < 300) ? 0 : 1;
        };
        break;
    case "push":
        var push = new PushScenario(client, options.PushToken ?? throw new ArgumentException("--push-token is required"),
            options.PushKey ?? throw new ArgumentException("--push-key is required"), options.AppId ?? throw new ArgumentException("--appid is required"), run);
        if (options.Storage is { } pushStorage) await QueueDrain.WaitAsync(pushStorage, ["miniprogram-events", "order-paid", "shipping-upload", "order-shipped"], TimeSpan.FromMinutes(5));
        send = push.SendAsync;
        break;
    case "wecom-callback":
        var callbacks = new WeComCallbackScenario(client, options.PushToken ?? throw new ArgumentException("--push-token is required"),
            options.PushKey ?? throw new ArgumentException("--push-key is required"), options.AppId ?? throw new ArgumentException("--appid (the corp id) is required"), run);
        if (options.Storage is { } callbackStorage) await QueueDrain.WaitAsync(callbackStorage, ["wecom-events"], TimeSpan.FromMinutes(5));
        send = callbacks.SendAsync;
        break;
    case "wecom-callback-floor" or "oa-push-floor":
        var corp = options.AppId ?? "wwload";
        var callbackFloor = options.Command == "oa-push-floor"
            ? new PushFloor(options.Storage ?? throw new ArgumentException("--storage is required"), run, n => OfficialAccountPushScenario.Event(run, n, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), PushFloor.UnfollowAsync)
            : new PushFloor(options.Storage ?? throw new ArgumentException("--storage is required"), run, n => WeComCallbackScenario.Event(corp, run, n, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), PushFloor.WeComEditAsync);
        await callbackFloor.SetupAsync();
        send = callbackFloor.SendAsync;
        finish = async result =>
        {
            await callbackFloor.DisposeAsync();
            return result.Statuses.Keys.All(s => s is >= 200 and < 300) ? 0 : 1;
        };
        break;
    case "oa-push":
        var oaPush = new OfficialAccountPushScenario(client, options.PushToken ?? throw new ArgumentException("--push-token is required"),
            options.PushKey ?? throw new ArgumentException("--push-key is required"), options.AppId ?? throw new ArgumentException("--appid is required"), run);
        if (options.Storage is { } oaStorage) await QueueDrain.WaitAsync(oaStorage, ["official-account-events"], TimeSpan.FromMinutes(5));
        send = oaPush.SendAsync;
        break;
    case "oa-follows":
        Console.WriteLine(await new FollowBurst(client, SandboxClient(), api, options.Key, run).RunAsync(options.Requests, options.Concurrency, options.Storage));
        return 0;
    case "group-buy":
        // Not a request loop: teams opened, a flash of joiners, payments, then the deadline on a moved clock.
        Console.WriteLine(await new GroupBuyFlash(client, SandboxClient(), api, options.Key ?? throw new ArgumentException("--key is required"), options.Storage, run)
            .RunAsync(options.Stock, options.Shoppers, options.Concurrency));
        return 0;
    case "wecom-burst":
        // Not a request loop: a burst of adds through the sandbox, then the welcomes' delays.
        Console.WriteLine(await new WeComBurst(client, SandboxClient(), api, options.Key, run).RunAsync(options.Requests, options.Concurrency, options.Storage));
        return 0;
    case "reconcile":
        // Not a request loop: one reconciliation of a big day through the store, then its floor, `rounds` times.
        var bench = new ReconciliationBench(client, SandboxClient(), api, options.Key, options.Storage ?? throw new ArgumentException("--storage is required"), run);
        await bench.SetupAsync(options.Lines);
        for (var round = 0; round < Math.Max(1, options.Requests); round++)
        {
            Console.WriteLine("store: " + await bench.RunStoreAsync());
            Console.WriteLine("floor: " + await bench.RunFloorAsync());
        }

        return 0;
    case "orders-floor":
        var floor = new StorageFloor(options.Storage ?? throw new ArgumentException("--storage is required"), run);
        await floor.SetupAsync();
        send = floor.PlaceAsync;
        break;
    default:
        Console.Error.WriteLine("usage: WeStore.Load get|login|orders|orders-floor --url URL [--key MASTERKEY] [--storage CS] [--path PATH] [--returning] [--shoppers N] [--concurrency N] [--requests N] [--seconds N] [--warmup N]");
        return 2;
}

// Scenarios (flash, storm, mixed) are measured from their first request: there is nothing to warm up but the scenario itself.
if (options.Warmup > 0 && options.Command is not ("flash" or "storm" or "mixed"))
{
    // The warm-up uses other request numbers, so "new" shoppers and orders in the measured run are really new.
    await LoadRunner.RunAsync("warmup", options.Concurrency, options.Warmup, TimeSpan.FromSeconds(60),
        (n, ct) => send(options.Returning ? n : n + 100_000_000, ct));
}

var before = await api.StatsAsync();
var result = await LoadRunner.RunAsync(options.Command, options.Concurrency, options.Requests, TimeSpan.FromSeconds(options.Seconds), send);
var after = await api.StatsAsync();

Console.WriteLine(result);
string PerRequest(Func<HostStats, double> pick, string format)
    => before is null || after is null || result.Requests == 0 ? "n/a" : ((pick(after) - pick(before)) / result.Requests).ToString(format, CultureInfo.InvariantCulture);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"rps={result.RequestsPerSecond:0.0} p50={result.P50:0.000} p99={result.P99:0.000} storage_per_request={PerRequest(s => s.StorageRequests, "0.00")} cpu_ms_per_request={PerRequest(s => s.CpuMilliseconds, "0.000")} peak_mb={(after is null ? "n/a" : (after.PeakWorkingSetBytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture))} faults_injected={(after is null || before is null ? "n/a" : (after.StorageFaultsInjected - before.StorageFaultsInjected).ToString(CultureInfo.InvariantCulture))}"));
if (finish is not null) return await finish(result);
return result.Statuses.Keys.All(s => s is >= 200 and < 300) ? 0 : 1;

HttpClient SandboxClient() => LoadRunner.CreateClient(options.Sandbox ?? throw new ArgumentException("--sandbox is required"), options.Concurrency * 4);

internal sealed record Options(
    string Command, string Url, string Path, string? Key, string? Storage, bool Returning, int Shoppers, int Concurrency, int Requests, int Seconds, int Warmup,
    string? SandboxData, string? AppId, string? Scene, string? Sandbox, int Stock, int SettleSeconds, int Lines, string? PushToken, string? PushKey)
{
    public static Options Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(args.FirstOrDefault() ?? string.Empty, Get("url") ?? "http://127.0.0.1:7071", Get("path") ?? "/api/health",
            Get("key"), Get("storage"), args.Contains("--returning"), Int("shoppers", 64), Int("concurrency", 16), Int("requests", 20000), Int("seconds", 20), Int("warmup", 500),
            Get("sandbox-data"), Get("appid"), Get("scene"), Get("sandbox"), Int("stock", 100), Int("settle-seconds", 180), Int("lines", 50),
            Get("push-token"), Get("push-key"));
    }
}
