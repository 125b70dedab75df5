namespace WeStore.Domain.Messaging;

/// <summary>Sends a message to a named queue, optionally invisible for a delay (timeouts, retries).</summary>
public interface IMessageSender
{
    Task SendAsync<T>(string queueName, T message, TimeSpan? delay = null, CancellationToken cancellationToken = default);
}
