using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace WeStore.Load;

/// <summary>
/// A queue consumer as the host runs one (batches of 16, a new batch when 8 or fewer are in flight, polling backing
/// off to 2 s when idle), for the floors: each message goes to <paramref name="handle"/>, which deletes it.
/// </summary>
public sealed class FloorConsumer(QueueClient queue, Func<QueueMessage, Task> handle) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public FloorConsumer Start()
    {
        _loop = RunAsync(_stop.Token);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var inFlight = new List<Task>();
        var idle = TimeSpan.FromMilliseconds(100);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                if (inFlight.Count > 8)
                {
                    await Task.WhenAny(inFlight);
                    continue;
                }

                QueueMessage[] messages = await queue.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(1), stop);
                if (messages.Length == 0)
                {
                    await Task.Delay(idle, stop);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
                    continue;
                }

                idle = TimeSpan.FromMilliseconds(100);
                inFlight.AddRange(messages.Select(handle));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await Task.WhenAll(inFlight);
    }
}
