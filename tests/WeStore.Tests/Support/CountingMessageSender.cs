using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Domain.Messaging;
using WeStore.Storage;

namespace WeStore.Tests.Support;

/// <summary>Counts what the app sends, per queue, can make chosen sends fail (a storage outage), and can hold a
/// queue's messages back so a test runs their consumer itself.</summary>
public sealed class CountingMessageSender(IMessageSender inner) : IMessageSender
{
    private readonly ConcurrentDictionary<string, int> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<object> _held = new();
    private int _failuresLeft;
    private string? _failQueue;
    private HashSet<string> _holdQueues = [];

    /// <summary>
    /// Replaces the app's sender with one counting over the real queues; the app builds it on first use, and it is
    /// then in <paramref name="slot"/>[0].
    /// </summary>
    public static void Install(IServiceCollection services, CountingMessageSender[] slot)
        => services.AddSingleton<IMessageSender>(sp => slot[0] = new CountingMessageSender(new QueueSender(sp.GetRequiredService<StorageClients>())));

    public int Sent(string queue) => _sent.GetValueOrDefault(queue);

    /// <summary>Messages for these queues are kept here instead of being sent.</summary>
    public void Hold(params string[] queues) => _holdQueues = [.. queues];

    public IReadOnlyList<object> Held => [.. _held];

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

        if (_holdQueues.Contains(queueName)) _held.Enqueue(message!);
        else await inner.SendAsync(queueName, message, delay, cancellationToken);
        _sent.AddOrUpdate(queueName, 1, (_, n) => n + 1);
    }
}
