using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Tests.Support;

namespace WeStore.Tests.LocalHost;

public sealed class HttpTriggerTests
{
    [Fact]
    public async Task RouteTemplate_OrdersOrderNo_BindsRouteValue()
    {
        await using var host = await RunningHost.StartTestAppAsync();

        var body = await host.Client.GetFromJsonAsync<JsonElement>("/api/orders/WS20261125ABC?q=x");

        Assert.Equal("WS20261125ABC", body.GetProperty("orderNo").GetString());
        Assert.Equal("x", body.GetProperty("query").GetString());
    }

    [Fact]
    public async Task FunctionLevelRoute_NoKey_401ProblemJson()
    {
        await using var host = await RunningHost.StartTestAppAsync();

        var response = await host.Client.GetAsync("/api/secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task FunctionLevelRoute_WrongKey_401()
    {
        await using var host = await RunningHost.StartTestAppAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/secret");
        request.Headers.Add("x-functions-key", RunningHost.MasterKey + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task FunctionLevelRoute_MasterKeyInHeaderOrCode_Passes()
    {
        await using var host = await RunningHost.StartTestAppAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/secret");
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);

        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"/api/secret?code={RunningHost.MasterKey}")).StatusCode);
    }

    [Fact]
    public async Task Route_WrongMethod_NotServed()
    {
        await using var host = await RunningHost.StartTestAppAsync();

        var response = await host.Client.DeleteAsync("/api/orders/A1");

        Assert.True(response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, response.StatusCode.ToString());
    }

    [Fact]
    public async Task UnknownRoute_404ProblemJson()
    {
        await using var host = await RunningHost.StartTestAppAsync();

        var response = await host.Client.GetAsync("/api/nothing/here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
