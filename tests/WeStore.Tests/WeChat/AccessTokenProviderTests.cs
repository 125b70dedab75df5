using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WeStore.Storage;
using WeStore.Tests.Support;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;

namespace WeStore.Tests.WeChat;

public sealed class AccessTokenProviderTests
{
    private static ServiceProvider Services(RunningSandbox sandbox)
    {
        var settings = sandbox.StoreSettings();
        settings["AzureWebJobsStorage"] = TestStorage.ConnectionString;
        // A slow first answer on a busy machine must not be retried by the HTTP pipeline: these tests count fetches.
        settings["WeChat:TimeoutSeconds"] = "60";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddWeStoreStorage(configuration).AddWeChatMiniProgram(configuration).BuildServiceProvider();
    }

    /// <summary>A provider as one instance of the app would have it: its own cache, the shared store.</summary>
    private static AccessTokenProvider Instance(IServiceProvider services, TimeProvider? time = null)
        => new(new MiniProgramTokenIssuer(services.GetRequiredService<WeChatAuthClient>()), services.GetRequiredService<IAccessTokenStore>(), time ?? TimeProvider.System, NullLogger<AccessTokenProvider>.Instance);

    [Fact]
    public async Task GetAsync_20ConcurrentInstances_FetchedOnce()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox);
        var instances = Enumerable.Range(0, 20).Select(_ => Instance(services)).ToList();

        var tokens = await Task.WhenAll(instances.Select(i => Task.Run(() => i.GetAsync(CancellationToken.None))));

        Assert.Equal(1, sandbox.State.Count("cgi-bin/stable_token"));
        Assert.Single(tokens.Distinct());
        Assert.Equal(sandbox.State.CurrentAccessToken, tokens[0]);
    }

    [Fact]
    public async Task GetAsync_20ConcurrentCallersOneInstance_FetchedOnce()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox);
        var instance = Instance(services);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => instance.GetAsync(CancellationToken.None))));

        Assert.Equal(1, sandbox.State.Count("cgi-bin/stable_token"));
        Assert.Single(tokens.Distinct());
    }

    [Fact]
    public async Task GetAsync_WithinAMinute_ServedFromInstanceCacheWithoutStorage()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var instance = Instance(services, time);
        var counter = services.GetRequiredService<StorageRequestCounter>();
        await instance.GetAsync(CancellationToken.None);

        var before = counter.Total;
        time.Advance(TimeSpan.FromSeconds(50));
        await instance.GetAsync(CancellationToken.None);
        Assert.Equal(before, counter.Total);

        time.Advance(TimeSpan.FromSeconds(20));
        await instance.GetAsync(CancellationToken.None);
        Assert.Equal(before + 1, counter.Total); // one point read of the stored token, no fetch
        Assert.Equal(1, sandbox.State.Count("cgi-bin/stable_token"));
    }

    [Fact]
    public async Task RefreshIfExpiringAsync_FarFromExpiry_NothingFetched_NearExpiry_Refetched()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var instance = Instance(services, time);
        await instance.GetAsync(CancellationToken.None);

        await instance.RefreshIfExpiringAsync(TimeSpan.FromMinutes(15), CancellationToken.None);
        Assert.Equal(1, sandbox.State.Count("cgi-bin/stable_token"));

        time.Advance(TimeSpan.FromSeconds(7200 - 600));
        await instance.RefreshIfExpiringAsync(TimeSpan.FromMinutes(15), CancellationToken.None);
        Assert.Equal(2, sandbox.State.Count("cgi-bin/stable_token"));
    }

    [Fact]
    public async Task RefreshAsync_RejectedTokenStillCurrentAtWeChat_ForcedRefresh()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await using var services = Services(sandbox);
        var instance = Instance(services);
        var first = await instance.GetAsync(CancellationToken.None);

        var second = await instance.RefreshAsync(first, CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.Equal(sandbox.State.CurrentAccessToken, second);
        Assert.Equal(3, sandbox.State.Count("cgi-bin/stable_token")); // normal (same token back), then forced
    }
}
