using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeStore.Domain.Messaging;

namespace WeStore.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the storage clients once, from <c>AzureWebJobsStorage</c>.</summary>
    public static IServiceCollection AddWeStoreStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<StorageRequestCounter>();
        services.TryAddSingleton(_ => StorageConnection.FromConfiguration(configuration));
        services.TryAddSingleton(sp => new StorageClients(
            sp.GetRequiredService<StorageConnection>(),
            sp.GetRequiredService<StorageRequestCounter>(),
            sp.GetServices<HttpPipelinePolicy>()));
        services.TryAddSingleton<IMessageSender, QueueSender>();
        services.TryAddSingleton<IStorageHealth, StorageHealth>();
        return services;
    }
}
