using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace WeStore.Tests.Support;

/// <summary>
/// A running store (local host + sandbox over the test Azurite) with helpers for the usual journey. Each store has its
/// own storage name prefix, so stores running side by side share no table, row or queue.
/// </summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private StoreFixture(RunningSandbox sandbox, RunningHost host)
    {
        Sandbox = sandbox;
        Host = host;
    }

    public RunningSandbox Sandbox { get; }

    public RunningHost Host { get; }

    public HttpClient Client => Host.Client;

    public static async Task<StoreFixture> StartAsync(Dictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var sandbox = await RunningSandbox.StartAsync();
        var settings = sandbox.StoreSettings();
        // WeChat Pay (the sandbox) posts notifications back to this host.
        var port = TestStorage.FreePort();
        settings["WeChatPay:NotifyUrl"] = $"http://127.0.0.1:{port}/api/pay/notify";
        settings["WeChatPay:RefundNotifyUrl"] = $"http://127.0.0.1:{port}/api/pay/refund-notify";
        // WeChat's message push (the sandbox) posts events to this host too.
        sandbox.Options.PushUrl = $"http://127.0.0.1:{port}/api/wechat/push";
        sandbox.Options.WeComCallbackUrl = $"http://127.0.0.1:{port}/api/wecom/callback";
        sandbox.Options.OfficialAccountPushUrl = $"http://127.0.0.1:{port}/api/wechat/official-account/push";
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var host = await RunningHost.StartWeStoreAsync(settings, services, port);
        return new StoreFixture(sandbox, host);
    }

    /// <summary>This store's storage name prefix.</summary>
    public string StoragePrefix => Service<WeStore.Storage.StorageNames>().Prefix;

    /// <summary>
    /// For settings that name data (a welcome campaign's id): a first store creates the data and says which settings
    /// name it, stops, and the store returned starts over the same storage with those settings. The first is stopped
    /// before the second starts, so no two hosts listen on one queue.
    /// </summary>
    public static async Task<StoreFixture> StartPreparedAsync(Func<StoreFixture, Task<Dictionary<string, string?>>> prepare, Action<IServiceCollection>? services = null)
    {
        Dictionary<string, string?> settings;
        string prefix, storage;
        await using (var setup = await StartAsync())
        {
            settings = await prepare(setup);
            prefix = setup.StoragePrefix;
            storage = setup.Host.ConnectionString;
        }

        settings[WeStore.Storage.StorageNames.PrefixSetting] = prefix;
        settings["AzureWebJobsStorage"] = storage;
        return await StartAsync(settings, services);
    }

    public string OpenIdOf(string stem) => Sandbox.State.Derive("o", Sandbox.Options.AppId, stem);

    public Task<string> LoginAsync(string stem) => TestData.LoginAsync(Client, TestData.ShopperCode(stem));

    public async Task ImportAsync(object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/manage/catalog") { Content = TestData.Json(JsonSerializer.Serialize(body)) };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        var response = await Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Imports one product with the given SKUs (id, price, stock, shards), all on sale.</summary>
    public Task ImportSkusAsync(string productId, params (string SkuId, long Price, int Stock, int Shards)[] skus)
        => ImportAsync(TestData.Catalog(productId, skus));

    public async Task<HttpResponseMessage> PlaceAsync(string token, string idempotencyKey, object body)
    {
        var request = TestData.Authorized(HttpMethod.Post, "/api/orders", token, TestData.Json(JsonSerializer.Serialize(body)));
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await Client.SendAsync(request);
    }

    public async Task<JsonElement> GetOrderAsync(string token, string orderNo)
    {
        var response = await Client.SendAsync(TestData.Authorized(HttpMethod.Get, $"/api/orders/{orderNo}", token));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Runs a queue function as the queue would: a failed run is delivered again (up to 5 times).</summary>
    public async Task RunQueueFunctionWithRetriesAsync(string function, object message)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RunQueueFunctionAsync(function, message);
                return;
            }
            catch (Xunit.Sdk.TrueException) when (attempt < 5)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Runs a queue function now, as the host would on its message.</summary>
    public async Task RunQueueFunctionAsync(string function, object message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/functions/{function}")
        {
            Content = TestData.Json(JsonSerializer.Serialize(new { input = JsonSerializer.Serialize(message, new JsonSerializerOptions(JsonSerializerDefaults.Web)) })),
        };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        var response = await Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{function}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>A table of this store, by its logical name (the store's prefix applied).</summary>
    public Task<Azure.Data.Tables.TableClient> TableAsync(string name) => Service<WeStore.Storage.StorageClients>().GetTableAsync(name);

    /// <summary>Waits until no queue function is running and no queue has a visible message (scheduled ones excepted).</summary>
    public Task IdleAsync(TimeSpan? timeout = null) => Host.IdleAsync(timeout);

    /// <summary>The shopper pays at the sandbox, which notifies this host; returns the sandbox's report.</summary>
    public async Task<JsonElement> PayAsync(string orderNo, bool force = false)
    {
        var client = Sandbox.Client();
        var response = await client.PostAsync($"{Sandbox.Url}/sandbox/pay/{orderNo}" + (force ? "?force=true" : string.Empty), null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> CompleteRefundAtSandboxAsync(string orderNo, string outRefundNo, bool closed = false)
    {
        var client = Sandbox.Client();
        var response = await client.PostAsync($"{Sandbox.Url}/sandbox/pay/{orderNo}?refund={Uri.EscapeDataString(outRefundNo)}" + (closed ? "&result=closed" : string.Empty), null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<(string Token, string OrderNo, string Stem, string Sku)> PlaceOrderAsync(int stock = 10, int quantity = 2, long price = 1000)
    {
        var sku = TestData.NewId("sku");
        await ImportSkusAsync(TestData.NewId("p"), (sku, price, stock, 1));
        var stem = TestData.NewId("buyer");
        var token = await LoginAsync(stem);
        var response = await PlaceAsync(token, "k-" + Guid.NewGuid().ToString("N")[..8], TestData.Order((sku, quantity)));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var orderNo = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        return (token, orderNo, stem, sku);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
