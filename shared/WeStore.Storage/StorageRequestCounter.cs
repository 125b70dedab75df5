using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;

namespace WeStore.Storage;

/// <summary>
/// Counts every storage request that leaves the process (each retry too), in total and per ambient scope,
/// so tests and benchmarks can read the cost of one operation, and per kind of operation (method and table or
/// queue, keys left out) with the time each took, so a benchmark can tell which operations a slowdown is in.
/// </summary>
public sealed class StorageRequestCounter
{
    private static readonly AsyncLocal<StorageRequestScope?> Current = new();
    private readonly ConcurrentDictionary<string, OperationTally> _operations = new(StringComparer.Ordinal);
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

    /// <summary>Requests so far by operation (<c>GET Members</c>, <c>POST order-paid/messages</c>, <c>POST $batch</c>).</summary>
    public IReadOnlyDictionary<string, OperationStats> Operations
        => _operations.ToDictionary(o => o.Key, o => o.Value.Snapshot(), StringComparer.Ordinal);

    public HttpPipelinePolicy CreatePolicy() => new CountingPolicy(this);

    private void Completed(HttpMessage message, long elapsedTicks)
    {
        var failed = !message.HasResponse || message.Response.Status >= 400;
        _operations.GetOrAdd(OperationName(message.Request), static _ => new OperationTally()).Add(elapsedTicks, failed);
    }

    /// <summary>The method and the resource without keys, ids or the account (Azurite puts it in the path).</summary>
    internal static string OperationName(Request request)
    {
        var segments = request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var host = request.Uri.Host;
        var skip = segments.Length > 1 && (host == "localhost" || IPAddress.TryParse(host, out _)) ? 1 : 0;
        var names = segments.Skip(skip).Select(s => s.IndexOf('(', StringComparison.Ordinal) is var i and >= 0 ? s[..i] : s)
            .Select(s => Guid.TryParse(s, out _) ? "{id}" : s);
        return $"{request.Method} {string.Join('/', names)}";
    }

    private sealed class OperationTally
    {
        private long _count;
        private long _failed;
        private long _ticks;

        public void Add(long ticks, bool failed)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _ticks, ticks);
            if (failed) Interlocked.Increment(ref _failed);
        }

        public OperationStats Snapshot()
            => new(Interlocked.Read(ref _count), Interlocked.Read(ref _failed), Interlocked.Read(ref _ticks) * 1000.0 / Stopwatch.Frequency);
    }

    private sealed class CountingPolicy(StorageRequestCounter counter) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var started = Begin(message);
            try
            {
                ProcessNext(message, pipeline);
            }
            finally
            {
                counter.Completed(message, Stopwatch.GetTimestamp() - started);
            }
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var started = Begin(message);
            try
            {
                await ProcessNextAsync(message, pipeline);
            }
            finally
            {
                counter.Completed(message, Stopwatch.GetTimestamp() - started);
            }
        }

        private long Begin(HttpMessage message)
        {
            counter.Record(message);
            return Stopwatch.GetTimestamp();
        }
    }
}

/// <summary>One kind of storage operation: how many were sent, how many failed (4xx/5xx or no answer), and their total time.</summary>
public sealed record OperationStats(long Count, long Failed, double TotalMilliseconds);

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
