using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace WeStore.LocalHost.Invocation;

/// <summary>What one invocation has to bind from: the trigger's data and the scope's services.</summary>
public sealed class InvocationContext
{
    public required IServiceProvider Services { get; init; }

    public HttpContext? Http { get; init; }

    public QueueMessage? QueueMessage { get; init; }

    /// <summary>The queue message text: decoded from Base64 by the client, or given to the admin route.</summary>
    public string? QueueMessageText { get; init; }

    public TimerInfo? Timer { get; init; }

    public CancellationToken CancellationToken { get; init; }
}
