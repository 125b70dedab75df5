using System.Collections.Concurrent;
using WeStore.Domain.Messaging;

namespace WeStore.Tests.Support;

/// <summary>Counts what the app sends, per queue, and can make chosen sends fail (a storage outage).</summary>
public sealed class CountingMessageSender(IMessageSender inner) : IMessageSender
{
    private readonly ConcurrentDictionary<string, int> _sent = new(StringComparer.Ordinal);
    private int _failuresLeft;
    private string? _failQueue;

    public int Sent(string queue) => _sent.GetValueOrDefault(queue);

    public void FailNext(string queue, int times)
    {
        _failQueue = queue;
        Volatile.Write(ref _failuresLeft, times);
    }

    public async Task SendAsync<T>(string queueName, T message, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        if (queueName == _failQueue && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new Azure.RequestFailedException(503, "injected: the queue is unavailable");
        }

        await inner.SendAsync(queueName, message, delay, cancellationToken);
        _sent.AddOrUpdate(queueName, 1, (_, n) => n + 1);
    }
}
