using Azure.Storage.Queues;

namespace WeStore.Load;

/// <summary>Waits until the store's queues hold no message, so a measured run is not sharing the machine with the setup's backlog.</summary>
public static class QueueDrain
{
    public static async Task WaitAsync(string connectionString, IReadOnlyList<string> queues, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var clients = queues.Select(q => new QueueClient(connectionString, q)).ToList();
        while (DateTime.UtcNow < deadline)
        {
            var waiting = 0;
            foreach (var client in clients)
            {
                if (await client.ExistsAsync()) waiting += (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            }

            if (waiting == 0) return;
            await Task.Delay(500);
        }

        Console.Error.WriteLine("the store's queues did not drain within " + limit);
    }
}
