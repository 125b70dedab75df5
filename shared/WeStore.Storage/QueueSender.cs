using System.Text.Json;
using WeStore.Domain.Messaging;

namespace WeStore.Storage;

/// <summary>Sends JSON messages that a queue trigger reads; the client encodes them as Base64.</summary>
public sealed class QueueSender(StorageClients clients) : IMessageSender
{
    // Azure Queue storage caps the initial invisibility at 7 days.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    public async Task SendAsync<T>(string queueName, T message, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        if (delay is { } d && (d < TimeSpan.Zero || d > MaxDelay))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), d, "A queue delay must be between 0 and 7 days.");
        }

        var queue = await clients.GetQueueAsync(queueName, cancellationToken).ConfigureAwait(false);
        var body = JsonSerializer.Serialize(message, MessageJson.Options);
        await queue.SendMessageAsync(body, visibilityTimeout: delay, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }
}
