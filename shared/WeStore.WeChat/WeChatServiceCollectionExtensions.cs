using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using WeStore.WeChat.MiniProgram;
using WeStore.WeChat.Pay;

namespace WeStore.WeChat;

public static class WeChatServiceCollectionExtensions
{
    public const string MiniProgramClient = "wechat-api";

    /// <summary>
    /// The Mini Program API clients. The resilience handler retries only transport-level transient failures
    /// (5xx, 408, timeouts, refused connections); errcode -1 is retried by <see cref="WeChatHttp"/>, and nothing
    /// else is retried (40029 and friends are final). HttpClient's own request logging is removed because
    /// jscode2session carries the AppSecret and access tokens in the query string.
    /// </summary>
    public static IServiceCollection AddWeChatMiniProgram(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WeChatOptions>().Bind(configuration.GetSection(WeChatOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        AddTransport<WeChatHttp, WeChatOptions>(services, MiniProgramClient, o => (o.ApiBaseUrl, o.TimeoutSeconds, o.MaxRetries));
        services.TryAddSingleton<WeChatAuthClient>(sp => new WeChatAuthClient(sp.GetRequiredService<WeChatHttp>()));
        services.TryAddSingleton<IAccessTokenProvider>(sp => new AccessTokenProvider(
            new MiniProgramTokenIssuer(sp.GetRequiredService<WeChatAuthClient>()), sp.GetRequiredService<IAccessTokenStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AccessTokenProvider>>()));
        services.TryAddTransient<WeChatApiClient>();
        return services;
    }

    public const string WeComClient = "wecom-api";

    /// <summary>
    /// The WeCom customer-contact clients on qyapi: the same transport rules as the Mini Program's (transport failures
    /// retried by the handler, -1 by the transport, nothing else), a token of their own kept in the same store, and no
    /// request logging (gettoken carries the secret in its query).
    /// </summary>
    public static IServiceCollection AddWeCom(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WeStore.WeChat.WeCom.WeComOptions>().Bind(configuration.GetSection(WeStore.WeChat.WeCom.WeComOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        AddTransport<WeStore.WeChat.WeCom.WeComHttp, WeStore.WeChat.WeCom.WeComOptions>(services, WeComClient, o => (o.ApiBaseUrl, o.TimeoutSeconds, o.MaxRetries));
        AddCentralToken(services, WeStore.WeChat.WeCom.WeComApiClient.TokenKey, sp => new WeStore.WeChat.WeCom.WeComTokenIssuer(sp.GetRequiredService<WeStore.WeChat.WeCom.WeComHttp>()));
        services.TryAddTransient<WeStore.WeChat.WeCom.WeComApiClient>();
        return services;
    }

    public const string OfficialAccountClient = "official-account-api";

    /// <summary>The Official Account's clients: the Mini Program's transport rules, its own credentials and central token.</summary>
    public static IServiceCollection AddOfficialAccount(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WeStore.WeChat.OfficialAccount.OfficialAccountOptions>().Bind(configuration.GetSection(WeStore.WeChat.OfficialAccount.OfficialAccountOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        AddTransport<WeStore.WeChat.OfficialAccount.OfficialAccountHttp, WeStore.WeChat.OfficialAccount.OfficialAccountOptions>(services, OfficialAccountClient, o => (o.ApiBaseUrl, o.TimeoutSeconds, o.MaxRetries));
        AddCentralToken(services, WeStore.WeChat.OfficialAccount.OfficialAccountApiClient.TokenKey,
            sp => new WeStore.WeChat.OfficialAccount.OfficialAccountTokenIssuer(sp.GetRequiredService<WeStore.WeChat.OfficialAccount.OfficialAccountHttp>()));
        services.TryAddTransient<WeStore.WeChat.OfficialAccount.OfficialAccountApiClient>();
        return services;
    }

    /// <summary>One app's central token (keyed by <paramref name="key"/>), over the shared token store.</summary>
    private static void AddCentralToken(IServiceCollection services, string key, Func<IServiceProvider, ITokenIssuer> issuer)
        => services.TryAddKeyedSingleton<IAccessTokenProvider>(key, (sp, _) => new AccessTokenProvider(
            issuer(sp), sp.GetRequiredService<IAccessTokenStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AccessTokenProvider>>()));

    /// <summary>
    /// A typed client for a WeChat-family JSON API: the per-attempt timeout and the transport-level retries (5xx, 408,
    /// timeouts, refused connections) in a resilience handler, no request logging (secrets ride in query strings), and
    /// pooled connections rotated every 2 minutes, because singletons hold the client.
    /// </summary>
    private static void AddTransport<TClient, TOptions>(IServiceCollection services, string name, Func<TOptions, (string BaseUrl, double TimeoutSeconds, int MaxRetries)> settings)
        where TClient : class
        where TOptions : class
    {
        services.AddHttpClient<TClient>(name, (sp, http) =>
            {
                http.BaseAddress = new Uri(settings(sp.GetRequiredService<IOptions<TOptions>>().Value).BaseUrl.TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddResilienceHandler(name, (pipeline, context) =>
            {
                var (_, timeoutSeconds, maxRetries) = settings(context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value);
                var attempt = TimeSpan.FromSeconds(timeoutSeconds);
                pipeline.AddTimeout(attempt * (maxRetries + 1) + TimeSpan.FromSeconds(1));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = maxRetries,
                    Delay = TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = false,
                });
                pipeline.AddTimeout(attempt);
            });
    }

    /// <summary>The WeChat Pay v3 client. Retries are the client's own (re-signed per attempt), not a handler's.</summary>
    public static IServiceCollection AddWeChatPay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WeChatPayOptions>().Bind(configuration.GetSection(WeChatPayOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WeChatPayKeys>();
        services.TryAddSingleton<NotificationReader>();
        services.AddHttpClient<WeChatPayClient>("wechat-pay", (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<WeChatPayOptions>>().Value;
                http.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        return services;
    }
}
