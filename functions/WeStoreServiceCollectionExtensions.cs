using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
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
        services.AddWeStoreApplication(configuration);
        services.TryAddSingleton<MemberAuthenticator>();
        services.AddValidatorsFromAssemblyContaining<MemberAuthenticator>(ServiceLifetime.Singleton);
        return services;
    }
}
