using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WeStore.LocalHost.Invocation;
using WeStore.LocalHost.Metadata;

namespace WeStore.LocalHost.Queues;

/// <summary>
/// Runs one queue-triggered function with the Functions host's semantics: batches of <c>batchSize</c>, a new batch
/// once in-flight work drops to <c>newBatchThreshold</c>, a renewed lease while the function runs, on failure the
/// message reappears after <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c> failures it moves to
/// <c>{queue}-poison</c>. On shutdown it stops receiving and lets in-flight invocations finish; a message whose
/// invocation did not finish is never deleted, so it is retried, not lost.
/// </summary>
internal sealed class QueueTriggerListener(
    FunctionInvoker invoker,
    QueueClient queue,
    QueueClient poisonQueue,
    HostJsonSettings settings,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    private readonly HashSet<Task> _inFlight = [];
    private int _receiving;
    private long _receivesStarted;
    private long _lastEmptyReceive;
    private long _lastFullReceive;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string FunctionName => invoker.Definition.Name;

    /// <summary>The queue listened on (its real name, with any storage name prefix).</summary>
    public QueueClient Queue => queue;

    /// <summary>Invocations started and not yet settled (run, then deleted, retried or moved to poison), and a receive in progress.</summary>
    public int InFlight => Receiving + PruneAndCountInFlight();

    /// <summary>Invocations started and not yet settled.</summary>
    public int Running => PruneAndCountInFlight();

    /// <summary>1 while a receive is in progress: the messages it takes are invisible in the queue and not yet tracked.</summary>
    public int Receiving => Volatile.Read(ref _receiving);

    /// <summary>
    /// Whether the queue is quiet: nothing running, and a receive that started after this call came back empty (so
    /// every visible message sent before the call would have been taken). The listener is woken to look at once,
    /// so the check costs one receive, the one the listener makes anyway. False once anything runs or is taken.
    /// </summary>
    public async Task<bool> IsQuietAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Running > 0) return false;
        var after = Interlocked.Read(ref _receivesStarted);
        Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Running > 0 || Volatile.Read(ref _lastFullReceive) > after) return false;
            if (Volatile.Read(ref _lastEmptyReceive) > after && Receiving == 0) return Running == 0;
            await Task.Delay(5, cancellationToken);
        }

        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await EnsureQueuesAsync(stoppingToken);
        var delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (PruneAndCountInFlight() > settings.QueueNewBatchThreshold)
                {
                    await WhenAnyInFlightAsync(stoppingToken);
                    continue;
                }

                QueueMessage[] messages;
                // Counted as in flight from before the receive until each message is tracked: a received message is
                // invisible in the queue, so without this an idle check could see neither it nor its invocation.
                var number = Interlocked.Increment(ref _receivesStarted);
                Interlocked.Increment(ref _receiving);
                try
                {
                    messages = await queue.ReceiveMessagesAsync(settings.QueueBatchSize, Lease, stoppingToken);
                    foreach (var message in messages)
                    {
                        Track(ProcessAsync(message));
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _receiving);
                }

                if (messages.Length == 0)
                {
                    Volatile.Write(ref _lastEmptyReceive, number);
                    // Backing off, unless an idle check asks for a fresh look.
                    var wake = Volatile.Read(ref _wake).Task;
                    await Task.WhenAny(Task.Delay(delay, time, stoppingToken), wake);
                    stoppingToken.ThrowIfCancellationRequested();
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                    continue;
                }

                Volatile.Write(ref _lastFullReceive, number);
                delay = MinPollingInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            // Storage unreachable, refusing, or timing out (the SDK's network timeout is a TaskCanceledException):
            // the listener must outlive an outage of the store, as the Functions host's does.
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException or TaskCanceledException)
            {
                logger.LogWarning(e, "Polling {QueueName} for {FunctionName} failed; retrying", queue.Name, FunctionName);
                await Task.Delay(settings.MaxPollingInterval, time, CancellationToken.None);
            }
        }

        Task[] remaining;
        lock (_inFlight) remaining = [.. _inFlight];
        await Task.WhenAll(remaining);
    }

    /// <summary>Drops finished invocations and counts the rest. Pruning here, not in a continuation, means the
    /// wait below only ever waits on unfinished work (a finished task left in the set would make it spin).</summary>
    private int PruneAndCountInFlight()
    {
        lock (_inFlight)
        {
            _inFlight.RemoveWhere(t => t.IsCompleted);
            return _inFlight.Count;
        }
    }

    private async Task WhenAnyInFlightAsync(CancellationToken cancellationToken)
    {
        Task[] tasks;
        lock (_inFlight) tasks = [.. _inFlight.Where(t => !t.IsCompleted)];
        if (tasks.Length > 0) await Task.WhenAny(tasks).WaitAsync(cancellationToken);
    }

    private void Track(Task task)
    {
        lock (_inFlight) _inFlight.Add(task);
    }

    private async Task EnsureQueuesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                await poisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                return;
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
            {
                logger.LogWarning(e, "Creating {QueueName} failed; retrying", queue.Name);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }
    }

    private async Task ProcessAsync(QueueMessage message)
    {
        var receipt = new Receipt(message.PopReceipt);
        using var leaseStop = new CancellationTokenSource();
        var renewal = RenewLeaseAsync(message.MessageId, receipt, leaseStop.Token);
        Exception? failure = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await invoker.InvokeAsync(new InvocationContext
            {
                Services = scope.ServiceProvider,
                QueueMessage = message,
                QueueMessageText = message.Body?.ToString(),
                CancellationToken = CancellationToken.None,
            });
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            await leaseStop.CancelAsync();
            await renewal;
        }

        try
        {
            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, receipt.Value);
            }
            else if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                logger.LogError(failure,
                    "{FunctionName} failed on message {MessageId} for the {DequeueCount}th time; moving it to {PoisonQueue}",
                    FunctionName, message.MessageId, message.DequeueCount, poisonQueue.Name);
                await poisonQueue.SendMessageAsync(message.Body, timeToLive: TimeSpan.FromSeconds(-1));
                await queue.DeleteMessageAsync(message.MessageId, receipt.Value);
            }
            else
            {
                logger.LogWarning(failure,
                    "{FunctionName} failed on message {MessageId} (dequeue {DequeueCount} of {MaxDequeueCount}); it will be retried",
                    FunctionName, message.MessageId, message.DequeueCount, settings.MaxDequeueCount);
                await queue.UpdateMessageAsync(message.MessageId, receipt.Value, visibilityTimeout: settings.VisibilityTimeout);
            }
        }
        catch (RequestFailedException e)
        {
            // The lease was lost (the message reappeared and may run again); the host's semantics are at-least-once.
            logger.LogWarning(e, "Settling message {MessageId} of {QueueName} failed", message.MessageId, queue.Name);
        }
    }

    private async Task RenewLeaseAsync(string messageId, Receipt receipt, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Lease / 2, time, stop);
                var updated = await queue.UpdateMessageAsync(messageId, receipt.Value, visibilityTimeout: Lease, cancellationToken: stop);
                receipt.Value = updated.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Renewing the lease on message {MessageId} failed", messageId);
        }
    }

    private sealed class Receipt(string value)
    {
        public string Value { get; set; } = value;
    }
}
