using WeStore.LocalHost.Queues;

namespace WeStore.LocalHost;

/// <summary>
/// Whether the host's queue functions have work left: an invocation running, or a visible message waiting in a queue
/// a function listens on. Tests wait for idle instead of sleeping; messages scheduled for later (an order's timeout)
/// stay hidden and do not count.
/// </summary>
public sealed class LocalHostActivity
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private readonly IReadOnlyList<QueueTriggerListener> _listeners;

    internal LocalHostActivity(IReadOnlyList<QueueTriggerListener> listeners) => _listeners = listeners;

    /// <summary>True once two checks in a row (a poll apart) find nothing running and nothing waiting; false at the deadline.</summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var quiet = 0;
        while (true)
        {
            quiet = await IsIdleAsync(cancellationToken) ? quiet + 1 : 0;
            if (quiet >= 2) return true;
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>Each listened queue with what it has running and waiting, for a test's failure message.</summary>
    public async Task<string> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var parts = new List<string>();
        foreach (var listener in _listeners)
        {
            var visible = await listener.Queue.ExistsAsync(cancellationToken) ? (await listener.Queue.PeekMessagesAsync(32, cancellationToken)).Value : [];
            parts.Add($"{listener.Queue.Name}: {listener.Running} running, {listener.Receiving} receiving, {visible.Length} visible"
                + string.Concat(visible.Take(3).Select(m => $" [dequeued {m.DequeueCount}: {Truncate(m.Body.ToString())}]")));
        }

        return string.Join("; ", parts);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private async Task<bool> IsIdleAsync(CancellationToken cancellationToken)
    {
        // Work running: not idle, and no listener is disturbed. Else every listener takes a fresh look at once: quiet
        // when each look comes back empty. A receive is the check, so an idle wait costs a receive per queue a round.
        if (_listeners.Any(l => l.Running > 0)) return false;
        var quiet = await Task.WhenAll(_listeners.Select(l => l.IsQuietAsync(TimeSpan.FromSeconds(10), cancellationToken)));
        return quiet.All(q => q);
    }
}
