using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using WeStore.TestFunctionApp;
using WeStore.Tests.Support;

namespace WeStore.Tests.LocalHost;

public sealed class QueueTriggerTests
{
    /// <summary>A queue of the host's app, by the name its trigger gives (the host's storage prefix applied).</summary>
    private static QueueClient Base64Queue(RunningHost host, string name)
    {
        var queue = new QueueClient(host.ConnectionString, host.QueueName(name), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        queue.CreateIfNotExists();
        return queue;
    }

    [Fact]
    public async Task FailingFunction_AfterFiveDequeues_MessageInPoisonQueueAndNoSooner()
    {
        await using var host = await RunningHost.StartTestAppAsync();
        var id = Guid.NewGuid().ToString("N");
        var poison = Base64Queue(host, "test-always-fails-poison");

        await Base64Queue(host, "test-always-fails").SendMessageAsync(id);

        // The host records an attempt before it moves the message, so the attempts counted once the message is seen in
        // the poison queue are all there were: four would mean it moved too soon.
        await Eventually.TrueAsync(() => PeekAllAsync(poison).Result.Contains(id), TimeSpan.FromSeconds(30), "the message reached the poison queue");
        Assert.Equal(5, Probe.Read("fail:" + id).Count);
        await host.IdleAsync(); // nothing left that could run a sixth attempt

        Assert.Equal(["1", "2", "3", "4", "5"], Probe.Read("fail:" + id));
    }

    [Fact]
    public async Task Base64MessageFromAnotherProducer_Decoded()
    {
        await using var host = await RunningHost.StartTestAppAsync();
        var id = Guid.NewGuid().ToString("N");
        // Another producer that Base64-encodes by hand, as the Functions host's output binding does.
        var raw = new QueueClient(host.ConnectionString, host.QueueName("test-echo"));
        await raw.CreateIfNotExistsAsync();
        var json = $$"""{"id":"{{id}}","text":"你好, WeStore"}""";

        await raw.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));

        await Eventually.TrueAsync(() => Probe.Read("echo:" + id).Count == 1, TimeSpan.FromSeconds(15), "the echo function ran");
        Assert.Equal("你好, WeStore", Probe.Read("echo:" + id)[0]);
    }

    [Fact]
    public async Task Stats_AfterAMessageIsProcessed_HostReceiveAndDeleteCountedApartFromTheApp()
    {
        await using var host = await RunningHost.StartTestAppAsync();
        var id = Guid.NewGuid().ToString("N");
        using var anonymous = await host.Client.GetAsync("/admin/host/stats");

        await Base64Queue(host, "test-echo").SendMessageAsync($$"""{"id":"{{id}}","text":"x"}""");
        await Eventually.TrueAsync(() => Probe.Read("echo:" + id).Count == 1, TimeSpan.FromSeconds(15), "the echo function ran");
        async Task<JsonElement> StatsAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/host/stats");
            request.Headers.Add("x-functions-key", RunningHost.MasterKey);
            using var response = await host.Client.SendAsync(request);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var echo = host.QueueName("test-echo");
        await Eventually.TrueAsync(() => StatsAsync().Result.GetProperty("hostStorageOperations").TryGetProperty($"DELETE {echo}/messages/{{id}}", out _),
            TimeSpan.FromSeconds(15), "the host's delete of the message was counted");
        var stats = await StatsAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(stats.GetProperty("hostStorageOperations").GetProperty($"GET {echo}/messages").GetProperty("count").GetInt64() >= 1);
        Assert.True(stats.GetProperty("hostStorageRequests").GetInt64() >= 2);
        // The app's own counter does not see the host's polling.
        Assert.False(stats.GetProperty("storageOperations").TryGetProperty($"GET {echo}/messages", out _));
    }

    [Fact]
    public async Task MessageNotBase64_MovedToPoisonWithoutInvocation()
    {
        await using var host = await RunningHost.StartTestAppAsync();
        var text = "not base64 " + Guid.NewGuid().ToString("N");
        var raw = new QueueClient(host.ConnectionString, host.QueueName("test-echo"));
        await raw.CreateIfNotExistsAsync();
        var poison = new QueueClient(host.ConnectionString, host.QueueName("test-echo") + "-poison");
        await poison.CreateIfNotExistsAsync();

        await raw.SendMessageAsync(text);

        await Eventually.TrueAsync(() => PeekAllAsync(poison).Result.Contains(text), TimeSpan.FromSeconds(15), "the message reached the poison queue");
    }

    [Fact]
    public async Task Shutdown_InFlightInvocation_FinishesAndMessageIsDeleted()
    {
        var host = await RunningHost.StartTestAppAsync();
        var id = Guid.NewGuid().ToString("N");
        var queue = Base64Queue(host, "test-slow");
        await queue.SendMessageAsync(id);
        await Eventually.TrueAsync(() => Probe.Read("slow-started:" + id).Count == 1, TimeSpan.FromSeconds(15), "the slow function started");

        await host.DisposeAsync();

        Assert.Single(Probe.Read("slow-finished:" + id));
        await Task.Delay(300);
        var remaining = (await queue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString());
        Assert.DoesNotContain(id, remaining);
    }

    private static async Task<List<string>> PeekAllAsync(QueueClient queue)
        => (await queue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();
}
