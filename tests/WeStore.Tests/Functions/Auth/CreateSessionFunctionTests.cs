using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Auth;

public sealed class CreateSessionFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static async Task<(RunningSandbox Sandbox, RunningHost Host)> StartAsync(Dictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var sandbox = await RunningSandbox.StartAsync();
        var settings = sandbox.StoreSettings();
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var host = await RunningHost.StartWeStoreAsync(settings, services);
        return (sandbox, host);
    }

    [Fact]
    public async Task Login_NewShopper_200WithTokenAndIsNewMember()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);

        var response = await host.Client.PostAsync("/api/auth/login", TestData.LoginBody(TestData.ShopperCode()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("token").GetString()!.Split('.').Length);
        Assert.Equal(7200, body.GetProperty("expiresIn").GetInt32());
        Assert.True(body.GetProperty("isNewMember").GetBoolean());
    }

    [Fact]
    public async Task Login_SameShopperAgain_NotNewAndFirstSeenKept()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var stem = "alice" + Guid.NewGuid().ToString("N")[..8];

        await host.Client.PostAsync("/api/auth/login", TestData.LoginBody(TestData.ShopperCode(stem)));
        var openId = sandbox.State.Derive("o", sandbox.Options.AppId, stem);
        var first = await ProfileAsync(host, openId);
        await Task.Delay(20);
        var again = await host.Client.PostAsync("/api/auth/login", TestData.LoginBody(TestData.ShopperCode(stem)));

        var body = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("isNewMember").GetBoolean());
        var second = await ProfileAsync(host, openId);
        Assert.Equal(first.GetDateTimeOffset("FirstSeenAt"), second.GetDateTimeOffset("FirstSeenAt"));
        Assert.True(second.GetDateTimeOffset("LastSeenAt") > first.GetDateTimeOffset("LastSeenAt"));
        Assert.Equal(sandbox.State.Derive("u", sandbox.Options.AppId, stem), second.GetString("UnionId"));
    }

    [Theory]
    [InlineData("invalid", HttpStatusCode.Unauthorized, false)]
    [InlineData("used", HttpStatusCode.Unauthorized, false)]
    [InlineData("ratelimit", HttpStatusCode.TooManyRequests, true)]
    [InlineData("risky", HttpStatusCode.Forbidden, false)]
    [InlineData("busy", HttpStatusCode.ServiceUnavailable, true)]
    [InlineData("http500", HttpStatusCode.ServiceUnavailable, true)]
    [InlineData("slow", HttpStatusCode.ServiceUnavailable, true)]
    public async Task Login_WeChatError_MappedToProblem(string prefix, HttpStatusCode expected, bool retryAfter)
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);

        var response = await host.Client.PostAsync("/api/auth/login", TestData.LoginBody(prefix + Guid.NewGuid().ToString("N")[..8]));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(retryAfter, response.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task Login_InvalidCode_NotRetried()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var loginsBefore = sandbox.State.Count("sns/jscode2session");

        await host.Client.PostAsync("/api/auth/login", TestData.LoginBody("invalid-code"));

        Assert.Equal(loginsBefore + 1, sandbox.State.Count("sns/jscode2session"));
    }

    [Fact]
    public async Task Login_Busy_RetriedThenUnavailable()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var loginsBefore = sandbox.State.Count("sns/jscode2session");

        await host.Client.PostAsync("/api/auth/login", TestData.LoginBody("busy-code"));

        Assert.Equal(loginsBefore + 2, sandbox.State.Count("sns/jscode2session")); // MaxRetries = 1 in the test settings
    }

    public static TheoryData<string, string, HttpStatusCode> BadBodies => new()
    {
        { "application/json", "", HttpStatusCode.BadRequest },
        { "application/json", "{", HttpStatusCode.BadRequest },
        { "application/json", "null", HttpStatusCode.BadRequest },
        { "application/json", "[]", HttpStatusCode.BadRequest },
        { "application/json", "{}", HttpStatusCode.BadRequest },
        { "application/json", "{\"code\":\"\"}", HttpStatusCode.BadRequest },
        { "application/json", "{\"code\":42}", HttpStatusCode.BadRequest },
        { "application/json", "{\"code\":\"a\",\"code\":\"b\"}", HttpStatusCode.BadRequest },
        { "application/json", "{\"code\":\"" + new string('a', 129) + "\"}", HttpStatusCode.BadRequest },
        { "application/json", "{\"code\":\"abc\\u0000def\"}", HttpStatusCode.BadRequest },
        { "application/json", "{\"code\":\"abc\\ndef\"}", HttpStatusCode.BadRequest },
        { "application/json", "{\"code\":\"abc' or PartitionKey ne '\"}", HttpStatusCode.BadRequest },
        { "application/json", "{\"code\":\"码码码\"}", HttpStatusCode.BadRequest },
        { "text/plain", "{\"code\":\"abc\"}", HttpStatusCode.UnsupportedMediaType },
        { "application/json", "{\"code\":\"abc\",\"pad\":\"" + new string('x', 70_000) + "\"}", HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Login_BadBody_ProblemAndNoWeChatCall(string contentType, string body, HttpStatusCode expected)
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var loginsBefore = sandbox.State.Count("sns/jscode2session");
        var counter = host.Services.GetRequiredService<StorageRequestCounter>();
        var before = counter.Total;

        var response = await host.Client.PostAsync("/api/auth/login", new StringContent(body, System.Text.Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(loginsBefore, sandbox.State.Count("sns/jscode2session"));
        Assert.Equal(before, counter.Total);
    }

    [Fact]
    public async Task Login_50ConcurrentFirstLoginsOfOneShopper_OneMemberOneNew()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var stem = "crowd" + Guid.NewGuid().ToString("N")[..8];

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            host.Client.PostAsync("/api/auth/login", TestData.LoginBody($"{stem}.{i}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(1, bodies.Count(b => b.GetProperty("isNewMember").GetBoolean()));
        var table = new TableClient(host.ConnectionString, host.TableName(TableNames.Members));
        var openId = sandbox.State.Derive("o", sandbox.Options.AppId, stem);
        var rows = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {openId}")).ToListAsync();
        Assert.Single(rows);
    }

    [Fact]
    public async Task Login_StorageRequests_FiveForNewOneForReturning()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var counter = host.Services.GetRequiredService<StorageRequestCounter>();
        await TestData.LoginAsync(host.Client, TestData.ShopperCode()); // warms table creation
        await host.IdleAsync();
        var stem = "count" + Guid.NewGuid().ToString("N")[..8];

        var before = counter.Total;
        await TestData.LoginAsync(host.Client, TestData.ShopperCode(stem));
        await host.IdleAsync();
        var newMember = counter.Total - before;
        before = counter.Total;
        await TestData.LoginAsync(host.Client, TestData.ShopperCode(stem));
        var returning = counter.Total - before;

        // New: the member's 404 merge and insert, the unionid's row and the read of what waits at it (WeCom contacts,
        // followers: none here), and the member's facts message (joined; its consumer is off here), all before the login answers.
        Assert.Equal(5, newMember);
        Assert.Equal(1, returning);
    }

    [Fact]
    public async Task Login_SessionKey_NeverInResponsesLogsOrStoredInClear()
    {
        var logs = new CapturingLoggerProvider();
        var (sandbox, host) = await StartAsync(
            new() { ["Logging:LogLevel:Default"] = "Trace" },
            services => services.AddSingleton<ILoggerProvider>(logs));
        await using var _ = sandbox;
        await using var __ = host;
        var bodies = new List<string>();
        var stems = Enumerable.Range(0, 5).Select(i => "secret" + i + Guid.NewGuid().ToString("N")[..6]).ToList();

        foreach (var stem in stems)
        {
            var response = await host.Client.PostAsync("/api/auth/login", TestData.LoginBody(TestData.ShopperCode(stem)));
            bodies.Add(await response.Content.ReadAsStringAsync() + response.Headers);
        }

        var keys = sandbox.State.IssuedSessionKeys;
        Assert.Equal(5, keys.Count);
        Assert.NotEmpty(logs.Lines);
        foreach (var key in keys)
        {
            Assert.DoesNotContain(bodies, b => b.Contains(key, StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs.Lines, l => l.Contains(sandbox.Options.AppSecret, StringComparison.Ordinal));
        foreach (var stem in stems)
        {
            var profile = await ProfileAsync(host, sandbox.State.Derive("o", sandbox.Options.AppId, stem));
            var stored = string.Join("|", profile.Select(kv => kv.Value?.ToString()));
            Assert.DoesNotContain(keys, k => stored.Contains(k, StringComparison.Ordinal));
            Assert.StartsWith("v1.", profile.GetString("ProtectedSessionKey"));
        }
    }

    private static async Task<TableEntity> ProfileAsync(RunningHost host, string openId)
        => (await new TableClient(host.ConnectionString, host.TableName(TableNames.Members)).GetEntityAsync<TableEntity>(openId, "profile")).Value;
}
