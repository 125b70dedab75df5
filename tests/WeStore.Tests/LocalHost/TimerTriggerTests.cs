using System.Net;
using Azure.Data.Tables;
using WeStore.TestFunctionApp;
using WeStore.Tests.Support;

namespace WeStore.Tests.LocalHost;

public sealed class TimerTriggerTests
{
    [Fact]
    public async Task AdminRoute_MasterKey_RunsTimerNow()
    {
        await using var host = await RunningHost.StartTestAppAsync();
        var before = Probe.Read("tick").Count;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/TickTimerFunction") { Content = new StringContent("{}") };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(before + 1, Probe.Read("tick").Count);
        Assert.Equal("on-time", Probe.Read("tick")[^1]);
    }

    [Fact]
    public async Task AdminRoute_NoKey_401AndNotRun()
    {
        await using var host = await RunningHost.StartTestAppAsync();
        var before = Probe.Read("tick").Count;

        var response = await host.Client.PostAsync("/admin/functions/TickTimerFunction", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, Probe.Read("tick").Count);
    }

    [Fact]
    public async Task AdminRoute_HttpFunction_404()
    {
        await using var host = await RunningHost.StartTestAppAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/PingFunction");
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Startup_MissedRunInStorage_CaughtUpOncePastDue()
    {
        var hostId = "t" + Guid.NewGuid().ToString("N");
        var prefix = TestStorage.NewPrefix();
        var table = new TableClient(TestStorage.ConnectionString, prefix + WeStore.LocalHost.LocalFunctionHost.TimerStatusTable);
        await table.CreateIfNotExistsAsync();
        // The host was down when the yearly run fell due.
        await table.UpsertEntityAsync(new TableEntity(hostId, "TickTimerFunction")
        {
            ["Last"] = DateTimeOffset.UtcNow.AddYears(-1),
            ["Next"] = DateTimeOffset.UtcNow.AddMinutes(-5),
            ["LastUpdated"] = DateTimeOffset.UtcNow.AddYears(-1),
        });
        var before = Probe.Read("tick").Count(t => t == "past-due");

        await using (await RunningHost.StartTestAppAsync(new Dictionary<string, string?> { ["Host:Id"] = hostId, [WeStore.Storage.StorageNames.PrefixSetting] = prefix, ["AzureWebJobsStorage"] = TestStorage.ConnectionString }))
        {
            await Eventually.TrueAsync(() => Probe.Read("tick").Count(t => t == "past-due") == before + 1, TimeSpan.FromSeconds(10), "the missed run was caught up");
        }

        var status = (await table.GetEntityAsync<TableEntity>(hostId, "TickTimerFunction")).Value;
        Assert.True(status.GetDateTimeOffset("Next") > DateTimeOffset.UtcNow, "the next run is scheduled in the future");

        // A second start finds nothing past due.
        await using (await RunningHost.StartTestAppAsync(new Dictionary<string, string?> { ["Host:Id"] = hostId, [WeStore.Storage.StorageNames.PrefixSetting] = prefix, ["AzureWebJobsStorage"] = TestStorage.ConnectionString }))
        {
            await Task.Delay(500);
        }

        Assert.Equal(before + 1, Probe.Read("tick").Count(t => t == "past-due"));
    }
}
