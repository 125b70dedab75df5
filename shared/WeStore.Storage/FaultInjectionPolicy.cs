using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;

namespace WeStore.Storage;

/// <summary>
/// Storage faults for chaos tests (<c>Storage:Faults:*</c>; off unless a rate is set). Each rate is a probability
/// per request: <c>LatencyRate</c> adds <c>LatencyMs</c>; <c>ErrorRate</c> answers 503 without sending (as a throttled
/// or busy service would); <c>TimeoutRate</c> waits and fails as a network timeout would, without sending;
/// <c>DropRate</c> sends the request, so it is applied, then loses the response, the worst case for anything
/// that is not idempotent. The SDK's own retry policy sees these as it would see the real thing.
/// </summary>
public sealed class FaultInjectionPolicy(FaultInjectionOptions options) : HttpPipelinePolicy
{
    private readonly Random _random = options.Seed is { } seed ? new Random(seed) : Random.Shared;
    private long _injected;
    private volatile bool _paused;

    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>Stops injecting (a scenario's setup and its final checks run calm).</summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        => ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Roll(options.LatencyRate)) await Task.Delay(options.LatencyMs, message.CancellationToken);
        if (Roll(options.ErrorRate))
        {
            Interlocked.Increment(ref _injected);
            throw new RequestFailedException(503, "injected: the service is busy", "ServerBusy", null);
        }

        if (Roll(options.TimeoutRate))
        {
            Interlocked.Increment(ref _injected);
            await Task.Delay(options.TimeoutMs, message.CancellationToken);
            throw new TaskCanceledException("injected: the request timed out");
        }

        await ProcessNextAsync(message, pipeline);
        if (Roll(options.DropRate))
        {
            Interlocked.Increment(ref _injected);
            throw new RequestFailedException(0, "injected: the response was lost after the request was applied");
        }
    }

    private bool Roll(double rate)
    {
        if (rate <= 0 || _paused) return false;
        lock (_random) return _random.NextDouble() < rate;
    }
}

public sealed record FaultInjectionOptions(double LatencyRate, int LatencyMs, double ErrorRate, double TimeoutRate, int TimeoutMs, double DropRate, int? Seed)
{
    public const string Section = "Storage:Faults";

    public bool Any => LatencyRate > 0 || ErrorRate > 0 || TimeoutRate > 0 || DropRate > 0;

    public static FaultInjectionOptions FromConfiguration(IConfiguration configuration)
    {
        var s = configuration.GetSection(Section);
        double Rate(string name) => Math.Clamp(s.GetValue<double?>(name) ?? 0, 0, 1);
        return new FaultInjectionOptions(Rate("LatencyRate"), Math.Clamp(s.GetValue<int?>("LatencyMs") ?? 200, 0, 60_000), Rate("ErrorRate"),
            Rate("TimeoutRate"), Math.Clamp(s.GetValue<int?>("TimeoutMs") ?? 100, 0, 60_000), Rate("DropRate"), s.GetValue<int?>("Seed"));
    }
}
