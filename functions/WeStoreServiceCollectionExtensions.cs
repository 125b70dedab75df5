using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using WeStore.Application;
using WeStore.Functions.Infrastructure;
using WeStore.Storage;
using WeStore.WeChat;

namespace WeStore.Functions;

public static class WeStoreServiceCollectionExtensions
{
    /// <summary>
    /// All of the app's wiring. Program.cs and the local host both call this, so the two hosts cannot drift.
    /// </summary>
    public static IServiceCollection AddWeStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Polly logs every attempt at Information; only failures are worth a line.
        services.AddLogging(logging => logging.AddFilter("Polly", LogLevel.Warning));
        services.AddWeStoreStorage(configuration);
        services.AddWeChatMiniProgram(configuration);
        services.AddWeChatPay(configuration);
        services.AddWeCom(configuration);
        services.AddOfficialAccount(configuration);
        services.AddWeStoreApplication(configuration);
        services.TryAddSingleton<MemberAuthenticator>();
        services.TryAddSingleton<OperatorGate>();
        // Singleton: the console's files, read from the assembly once.
        services.TryAddSingleton<WeStore.Functions.Console.ConsoleAssets>();
        services.AddWeStoreTelemetry(configuration);
        services.AddValidatorsFromAssemblyContaining<MemberAuthenticator>(ServiceLifetime.Singleton);
        return services;
    }

    /// <summary>
    /// OpenTelemetry traces and metrics: WeStore's own source and meter, the worker's, and outgoing HTTP. Exported to
    /// Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, authenticated as the app's
    /// managed identity (the resource accepts nothing else); locally nothing is exported.
    /// </summary>
    public static IServiceCollection AddWeStoreTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(WeStore.Application.Telemetry.WeStoreTelemetry.Name, "Microsoft.Azure.Functions.Worker"))
            .WithMetrics(metrics => metrics.AddMeter(WeStore.Application.Telemetry.WeStoreTelemetry.Name));
        if (configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString)
        {
            var clientId = configuration["AzureWebJobsStorage:clientId"];
            telemetry.UseFunctionsWorkerDefaults().UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = clientId is { Length: > 0 }
                    ? new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId))
                    : new Azure.Identity.DefaultAzureCredential();
            });
        }

        return services;
    }
}
