using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WeStore.LocalHost.Http;
using WeStore.LocalHost.Invocation;
using WeStore.LocalHost.Metadata;
using WeStore.LocalHost.Queues;
using WeStore.LocalHost.Timers;
using WeStore.Storage;

namespace WeStore.LocalHost;

/// <summary>
/// Runs a compiled isolated-worker function app without Core Tools: HTTP triggers on Kestrel, queue and timer
/// triggers with the host's semantics, services from the app's own registration.
/// </summary>
public static class LocalFunctionHost
{
    public const string MasterKeySetting = "Host:MasterKey";

    /// <summary>Where each timer's schedule status is kept (under the storage name prefix, if any).</summary>
    public const string TimerStatusTable = "LocalHostTimers";

    public static async Task<WebApplication> BuildAsync(LocalHostOptions options)
    {
        var appDirectory = Path.GetFullPath(options.AppDirectory ?? Path.GetDirectoryName(options.AppAssembly.Location)!);
        var definitions = await FunctionCatalog.LoadAsync(options.AppAssembly, appDirectory);
        var hostJson = HostJsonSettings.Load(Path.Combine(appDirectory, "host.json"));
        var invokers = definitions.Select(d => new FunctionInvoker(d)).ToDictionary(i => i.Definition.Name, StringComparer.OrdinalIgnoreCase);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = options.Args, ContentRootPath = appDirectory });
        AddLocalSettings(builder.Configuration, appDirectory);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(options.Args);
        builder.Configuration.AddInMemoryCollection(options.Settings);
        builder.WebHost.UseUrls(options.Url);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Host.ConfigureHostOptions(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss "; });
        // Per-request framework lines drown the app's own; settings can turn them back on.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Azure.Core", LogLevel.Warning);

        var services = builder.Services;
        services.AddMvcCore();
        services.TryAddSingleton(TimeProvider.System);
        options.ConfigureApp(services, builder.Configuration);
        options.ConfigureTestServices?.Invoke(services);

        var masterKey = builder.Configuration[MasterKeySetting];
        var generatedKey = string.IsNullOrWhiteSpace(masterKey);
        var keys = new FunctionKeys(generatedKey ? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant() : masterKey!);
        services.AddSingleton(keys);
        // The app's operator gate takes the local host's one key (the master key), generated or set.
        builder.Configuration[MasterKeySetting] = keys.MasterKey;

        // The host's own storage (polling, schedule status) has its own counter, so the app's counts stay the app's.
        var connection = StorageConnection.FromConfiguration(builder.Configuration);
        var names = StorageNames.FromConfiguration(builder.Configuration);
        var hostCounter = new HostStorageCounter(new StorageRequestCounter());
        services.AddSingleton(hostCounter);
        var hostStorage = new StorageClients(connection, hostCounter.Counter, names: names);
        var listenerNames = new List<string>();
        if (options.RunQueueTriggers)
        {
            // AzureWebJobs.<name>.Disabled, as in Azure: the function's trigger does not listen (the admin route still runs it).
            foreach (var invoker in invokers.Values.Where(i => i.Definition.Kind == TriggerKind.Queue && !IsDisabled(i.Definition.Name, builder.Configuration)))
            {
                var name = invoker.Definition.Name;
                services.AddKeyedSingleton(name, (sp, _) => CreateQueueListener(invoker, connection, names, hostJson, hostCounter.Counter, sp));
                services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<QueueTriggerListener>(name));
                listenerNames.Add(name);
            }
        }

        services.AddSingleton(sp => new LocalHostActivity(listenerNames.Select(n => sp.GetRequiredKeyedService<QueueTriggerListener>(n)).ToList()));

        if (options.RunTimerTriggers)
        {
            var zone = ResolveTimeZone(builder.Configuration["WEBSITE_TIME_ZONE"]);
            var statusTable = hostStorage.TableService.GetTableClient(names.Table(TimerStatusTable));
            var hostId = builder.Configuration["Host:Id"] ?? options.AppAssembly.GetName().Name!.Replace(".", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            foreach (var invoker in invokers.Values.Where(i => i.Definition.Kind == TriggerKind.Timer && !IsDisabled(i.Definition.Name, builder.Configuration)))
            {
                var expression = ResolveSetting(invoker.Definition.Timer!.Schedule, builder.Configuration);
                var schedule = TimerSchedule.Parse(expression, zone);
                // The host's own timing is the wall clock, whatever clock the app is given (tests inject fake ones).
                services.AddSingleton<IHostedService>(sp => new TimerTriggerScheduler(
                    invoker, schedule, new TimerStatusStore(statusTable, hostId),
                    sp.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Host.Timer." + invoker.Definition.Name)));
            }
        }

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Host");
        HttpTriggerEndpoints.Map(app, invokers.Values, hostJson, keys, logger);
        AdminEndpoints.Map(app, invokers, keys, logger);
        app.MapFallback(context => ProblemWriter.WriteAsync(context, StatusCodes.Status404NotFound, "No function serves this route."));

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            logger.LogInformation("Functions ({Count}) of {App} are served at {Url}/{Prefix}", invokers.Count, options.AppAssembly.GetName().Name, options.Url, hostJson.RoutePrefix);
            foreach (var invoker in invokers.Values.OrderBy(i => i.Definition.Name))
            {
                var d = invoker.Definition;
                var what = d.Kind switch
                {
                    TriggerKind.Http => $"[{string.Join(',', d.Http!.Methods)}] {options.Url}/{hostJson.RoutePrefix}/{d.Http.Route} ({d.Http.AuthLevel})",
                    TriggerKind.Queue => $"queue {d.Queue!.QueueName}",
                    _ => $"timer {d.Timer!.Schedule}",
                };
                logger.LogInformation("  {Function}: {What}", d.Name, what);
            }

            if (generatedKey)
            {
                logger.LogWarning("{Setting} is not set; this run's master key was generated and is printed once: {MasterKey}", MasterKeySetting, keys.MasterKey);
            }
        });
        return app;
    }

    private static QueueTriggerListener CreateQueueListener(
        FunctionInvoker invoker, StorageConnection connection, StorageNames names, HostJsonSettings hostJson, StorageRequestCounter counter, IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Host.Queue." + invoker.Definition.Name);
        var queueName = names.Queue(ResolveSetting(invoker.Definition.Queue!.QueueName, services.GetRequiredService<IConfiguration>()));
        var poisonOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        poisonOptions.AddPolicy(counter.CreatePolicy(), HttpPipelinePosition.PerRetry);
        var poisonService = CreateQueueService(connection, poisonOptions);
        var poison = poisonService.GetQueueClient(queueName + "-poison");

        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.AddPolicy(counter.CreatePolicy(), HttpPipelinePosition.PerRetry);
        // A message that is not Base64 cannot be handed to the function; the host moves it to the poison queue.
        options.MessageDecodingFailed += async args =>
        {
            if (args.ReceivedMessage is { } message)
            {
                logger.LogError("Message {MessageId} on {QueueName} is not Base64; moving it to the poison queue", message.MessageId, queueName);
                var raw = CreateQueueService(connection, new QueueClientOptions()).GetQueueClient(poison.Name);
                await raw.SendMessageAsync(message.Body.ToString(), timeToLive: TimeSpan.FromSeconds(-1));
                await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        };
        var queue = CreateQueueService(connection, options).GetQueueClient(queueName);
        return new QueueTriggerListener(invoker, queue, poison, hostJson,
            services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, logger);
    }

    private static QueueServiceClient CreateQueueService(StorageConnection connection, QueueClientOptions options)
        => connection.UsesConnectionString
            ? new QueueServiceClient(connection.ConnectionString, options)
            : new QueueServiceClient(connection.QueueServiceUri!, connection.CreateCredential(), options);

    /// <summary>Binding expressions such as <c>%OrderTimeoutQueue%</c> name an app setting.</summary>
    internal static string ResolveSetting(string value, IConfiguration configuration)
    {
        if (value.Length > 2 && value[0] == '%' && value[^1] == '%')
        {
            var name = value[1..^1];
            return configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new FunctionHostStartupException($"The binding expression '{value}' names a setting that is not set.");
        }

        return value;
    }

    private static TimeZoneInfo ResolveTimeZone(string? id)
        => string.IsNullOrWhiteSpace(id) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);

    /// <summary>Reads local.settings.json "Values" as Core Tools does, below environment variables.</summary>
    private static void AddLocalSettings(IConfigurationBuilder configuration, string appDirectory)
    {
        var path = Path.Combine(appDirectory, "local.settings.json");
        if (!File.Exists(path)) return;
        var values = JsonNode.Parse(File.ReadAllText(path))?["Values"]?.AsObject();
        if (values is null) return;
        configuration.AddInMemoryCollection(values.Select(v =>
            KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), v.Value?.ToString())));
    }

    /// <summary>The Functions host's own switch (https://learn.microsoft.com/azure/azure-functions/disable-function).</summary>
    private static bool IsDisabled(string functionName, IConfiguration configuration)
        => string.Equals(configuration[$"AzureWebJobs.{functionName}.Disabled"] ?? configuration[$"AzureWebJobs:{functionName}:Disabled"], "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The host's own storage requests (queue polling, settling messages, timer status), apart from the app's.</summary>
internal sealed record HostStorageCounter(StorageRequestCounter Counter);
