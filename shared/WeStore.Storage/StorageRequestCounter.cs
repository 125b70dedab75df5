using Azure.Core;
using Azure.Core.Pipeline;

namespace WeStore.Storage;

/// <summary>
/// Counts every storage request that leaves the process (each retry too), in total and per ambient scope,
/// so tests and benchmarks can read the cost of one operation.
/// </summary>
public sealed class StorageRequestCounter
{
    private static readonly AsyncLocal<StorageRequestScope?> Current = new();
    private long _total;
    private long _writes;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests that can change something (anything but GET and HEAD): inserts, updates, deletes, batches, sends.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Counts the requests made by the current async flow until the scope is disposed.</summary>
    public StorageRequestScope BeginScope()
    {
        var scope = new StorageRequestScope(Current.Value, static s => Current.Value = s);
        Current.Value = scope;
        return scope;
    }

    internal void Record(HttpMessage message)
    {
        Interlocked.Increment(ref _total);
        if (message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head) Interlocked.Increment(ref _writes);
        var description = $"{message.Request.Method} {message.Request.Uri.Path}";
        for (var scope = Current.Value; scope is not null; scope = scope.Parent)
        {
            scope.Record(description);
        }
    }

    public HttpPipelinePolicy CreatePolicy() => new CountingPolicy(this);

    private sealed class CountingPolicy(StorageRequestCounter counter) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => counter.Record(message);
    }
}

public sealed class StorageRequestScope : IDisposable
{
    private readonly Action<StorageRequestScope?> _restore;
    private readonly List<string> _requests = [];
    private bool _disposed;

    internal StorageRequestScope(StorageRequestScope? parent, Action<StorageRequestScope?> restore)
    {
        Parent = parent;
        _restore = restore;
    }

    internal StorageRequestScope? Parent { get; }

    public int Count
    {
        get { lock (_requests) { return _requests.Count; } }
    }

    /// <summary>Method and path of each request, for diagnosing a count that is higher than expected.</summary>
    public IReadOnlyList<string> Requests
    {
        get { lock (_requests) { return [.. _requests]; } }
    }

    internal void Record(string description)
    {
        if (_disposed) return;
        lock (_requests) { _requests.Add(description); }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _restore(Parent);
    }
}
