using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeStore.Storage;

namespace WeStore.Functions;

public static class WeStoreServiceCollectionExtensions
{
    /// <summary>
    /// All of the app's wiring. Program.cs and the local host both call this, so the two hosts cannot drift.
    /// </summary>
    public static IServiceCollection AddWeStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddWeStoreStorage(configuration);
        return services;
    }
}
