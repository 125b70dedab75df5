using System.Net;
using System.Text.Json;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Health;

public sealed class GetHealthFunctionTests
{
    [Fact]
    public async Task Get_StorageReachable_200WithVersion()
    {
        await using var host = await RunningHost.StartWeStoreAsync();

        var response = await host.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("version").GetString()));
        Assert.Equal("reachable", body.RootElement.GetProperty("checks").GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Get_StorageUnreachable_503WithRetryAfter()
    {
        var dead = TestStorage.FreePort();
        await using var host = await RunningHost.StartWeStoreAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = TestStorage.ConnectionStringFor(dead, dead, dead),
        });

        var response = await host.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unreachable", body.RootElement.GetProperty("checks").GetProperty("storage").GetString());
    }
}
