using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Storage;

public sealed class QueueSenderTests
{
    [Fact]
    public async Task SendAsync_Message_StoredAsBase64Json()
    {
        var clients = StorageFactory.Create();
        var queueName = "sender-" + Guid.NewGuid().ToString("N")[..12];
        var sender = new QueueSender(clients);

        await sender.SendAsync(queueName, new { OrderNo = "A1", Total = 100L });

        // Read with a client that does not decode, as another consumer would see it.
        var raw = new QueueClient(TestStorage.ConnectionString, queueName);
        var message = (await raw.ReceiveMessageAsync()).Value;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()));
        using var document = JsonDocument.Parse(json);
        Assert.Equal("A1", document.RootElement.GetProperty("orderNo").GetString());
        Assert.Equal(100, document.RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task SendAsync_Delay_MessageInvisibleUntilThen()
    {
        var clients = StorageFactory.Create();
        var queueName = "sender-" + Guid.NewGuid().ToString("N")[..12];

        await new QueueSender(clients).SendAsync(queueName, new { A = 1 }, TimeSpan.FromMinutes(5));

        var queue = await clients.GetQueueAsync(queueName);
        Assert.Empty((await queue.ReceiveMessagesAsync(10)).Value);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task SendAsync_DelayOverSevenDays_Refused()
        => await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new QueueSender(StorageFactory.Create()).SendAsync("any", new { }, TimeSpan.FromDays(8)));
}
