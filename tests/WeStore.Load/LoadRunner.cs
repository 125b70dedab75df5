using System.Diagnostics;
using System.Net;

namespace WeStore.Load;

/// <summary>Runs one request factory at a fixed concurrency, bounded by count and by time.</summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(
        string name, int concurrency, int maxRequests, TimeSpan maxDuration, Func<int, CancellationToken, Task<int>> send)
    {
        var latencies = new List<double>[concurrency];
        var statuses = new Dictionary<int, int>[concurrency];
        var issued = -1;
        using var stop = new CancellationTokenSource(maxDuration);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            latencies[w] = [];
            statuses[w] = [];
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref issued);
                if (n >= maxRequests) break;
                var started = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    status = await send(n, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }

                latencies[w].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                statuses[w][status] = statuses[w].GetValueOrDefault(status) + 1;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var byStatus = statuses.SelectMany(s => s).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        return new LoadResult(name, concurrency, all.Length, clock.Elapsed, Percentile(all, 50), Percentile(all, 95), Percentile(all, 99), byStatus);
    }

    public static HttpClient CreateClient(string baseUrl, int concurrency) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    })
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static double Percentile(double[] sorted, double p)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

public sealed record LoadResult(
    string Name, int Concurrency, int Requests, TimeSpan Elapsed, double P50, double P95, double P99, IReadOnlyDictionary<int, int> Statuses)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public override string ToString()
        => $"{Name}: {Requests} requests in {Elapsed.TotalSeconds:0.00}s at concurrency {Concurrency} = {RequestsPerSecond:0} req/s; " +
           $"p50 {P50:0.00} ms, p95 {P95:0.00} ms, p99 {P99:0.00} ms; statuses " +
           string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}"));
}
