using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Functions;
using WeStore.LocalHost;
using WeStore.Storage;

namespace WeStore.Tests.Support;

/// <summary>A local host on a free loopback port, over the test Azurite, stopped on dispose.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    public const string MasterKey = "test-master-key-0123456789";

    private RunningHost(WebApplication app, HttpClient client, string connectionString)
    {
        App = app;
        Client = client;
        ConnectionString = connectionString;
    }

    /// <summary>The storage this host's app uses (one of the test emulators).</summary>
    public string ConnectionString { get; }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The real name of a queue of this host's app (its storage name prefix applied).</summary>
    public string QueueName(string name) => Services.GetRequiredService<StorageNames>().Queue(name);

    /// <summary>The real name of a table of this host's app.</summary>
    public string TableName(string name) => Services.GetRequiredService<StorageNames>().Table(name);

    public async Task IdleAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var activity = Services.GetRequiredService<LocalHostActivity>();
        if (!await activity.WaitForIdleAsync(limit))
        {
            Assert.Fail($"The host's queues did not go idle within {limit.TotalSeconds} s: {await activity.DescribeAsync()}");
        }
    }

    private static Dictionary<string, string?> WithPrefix(IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?> { [StorageNames.PrefixSetting] = TestStorage.NewPrefix() };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        return all;
    }

    /// <summary>The test function app, under its own storage name prefix (its queue names: <see cref="QueueName"/>).</summary>
    public static Task<RunningHost> StartTestAppAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? testServices = null)
        => StartAsync(typeof(WeStore.TestFunctionApp.Probe).Assembly, TestStorage.Metadata("TestFunctionAppDirectory"),
            (services, configuration) => services.AddWeStoreStorage(configuration), WithPrefix(settings), testServices);

    /// <summary>
    /// The store, with its timers not scheduled: a schedule coming due mid-test (the sweeper and the token refresh run
    /// every 5 minutes) would add storage requests to the counters tests read. Tests run timer functions through the
    /// admin route.
    /// </summary>
    public static Task<RunningHost> StartWeStoreAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? testServices = null, int port = 0)
        => StartAsync(typeof(WeStoreServiceCollectionExtensions).Assembly, null,
            (services, configuration) => services.AddWeStore(configuration), WithPrefix(settings), testServices, port, runTimers: false);

    public static async Task<RunningHost> StartAsync(
        Assembly appAssembly,
        string? appDirectory,
        Action<IServiceCollection, IConfiguration> configureApp,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? testServices = null,
        int port = 0,
        bool runTimers = true)
    {
        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = TestStorage.NextConnectionString(),
            [LocalFunctionHost.MasterKeySetting] = MasterKey,
            ["Logging:LogLevel:Default"] = "Warning",
            // Timer schedules named by settings must resolve, as in Azure; the expiry timer's is one.
            ["Loyalty:ExpirySchedule"] = "0 0 18 * * *",
            ["Payments:SweepSchedule"] = "0 */5 * * * *",
            ["WeChat:TokenRefreshSchedule"] = "0 */5 * * * *",
            ["Fulfilment:Schedule"] = "0 5 * * * *",
            ["Reconciliation:Schedule"] = "0 30 2 * * *",
            ["Segments:DueSchedule"] = "0 10 16 * * *",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;

        var app = await LocalFunctionHost.BuildAsync(new LocalHostOptions
        {
            AppAssembly = appAssembly,
            AppDirectory = appDirectory,
            ConfigureApp = configureApp,
            Url = $"http://127.0.0.1:{port}",
            Settings = all,
            ConfigureTestServices = testServices,
            RunTimerTriggers = runTimers,
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHost(app, new HttpClient { BaseAddress = new Uri(address) }, all["AzureWebJobsStorage"]!);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
