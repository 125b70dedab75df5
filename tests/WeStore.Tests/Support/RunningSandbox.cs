using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Sandbox;

namespace WeStore.Tests.Support;

/// <summary>The WeChat sandbox in-process on a free loopback port, with its own app secret and data folder.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private RunningSandbox(WebApplication app, SandboxOptions options, string url)
    {
        App = app;
        Options = options;
        Url = url;
    }

    public WebApplication App { get; }

    public SandboxOptions Options { get; }

    public string Url { get; }

    public SandboxState State => App.Services.GetRequiredService<SandboxState>();

    public SandboxKeys Keys => App.Services.GetRequiredService<SandboxKeys>();

    public PayState Pay => App.Services.GetRequiredService<PayState>();

    public WeComState WeCom => App.Services.GetRequiredService<WeComState>();

    public OfficialAccountState OfficialAccount => App.Services.GetRequiredService<OfficialAccountState>();

    public static async Task<RunningSandbox> StartAsync(TimeSpan? slowDelay = null)
    {
        var options = new SandboxOptions
        {
            Url = "http://127.0.0.1:0",
            AppId = "wx" + Guid.NewGuid().ToString("N")[..16],
            AppSecret = Guid.NewGuid().ToString("N"),
            DataDirectory = Path.Combine(Path.GetTempPath(), "westore-sandbox-tests", Guid.NewGuid().ToString("N")),
            SlowDelay = slowDelay ?? TimeSpan.FromSeconds(3),
            PushToken = "t" + Guid.NewGuid().ToString("N"),
            // 43 characters of base64: 32 random bytes, as the MP console generates.
            PushEncodingAesKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('='),
            WeComCorpId = "ww" + Guid.NewGuid().ToString("N")[..16],
            WeComSecret = Guid.NewGuid().ToString("N"),
            WeComCallbackToken = "w" + Guid.NewGuid().ToString("N")[..20],
            WeComCallbackAesKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('='),
            OfficialAccountAppId = "wx" + Guid.NewGuid().ToString("N")[..16],
            OfficialAccountSecret = Guid.NewGuid().ToString("N"),
            OfficialAccountToken = "oa" + Guid.NewGuid().ToString("N")[..20],
            OfficialAccountAesKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('='),
        };
        var app = SandboxApp.Build(options);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningSandbox(app, options, url);
    }

    /// <summary>A client for the sandbox's own routes (absolute URLs under <see cref="Url"/>).</summary>
    public HttpClient Client() => App.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

    /// <summary>The store's settings that point it at this sandbox, with freshly generated keys.</summary>
    public Dictionary<string, string?> StoreSettings() => TestData.StoreSettings(this);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(Options.DataDirectory, recursive: true); } catch (IOException) { }
    }
}
