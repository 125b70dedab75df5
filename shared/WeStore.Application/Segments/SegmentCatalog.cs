using Microsoft.Extensions.Options;
using WeStore.Domain.Segments;

namespace WeStore.Application.Segments;

/// <summary>
/// The segments, flows and recent broadcasts, re-read per instance every few seconds (<c>Segments:CatalogCacheSeconds</c>).
/// Every facts change evaluates every segment, so they are read from memory, not per message. A segment created on
/// another instance is evaluated here within that time; its back-fill starts after it, so nothing is missed.
/// </summary>
public sealed class SegmentCatalog(ISegmentStore segments, IFlowStore flows, IBroadcastStore broadcasts, IOptions<SegmentsOptions> options, TimeProvider time)
{
    private Cached<IReadOnlyList<SegmentDefinition>>? _segments;
    private Cached<IReadOnlyList<FlowDefinition>>? _flows;
    private Cached<IReadOnlyList<BroadcastDefinition>>? _broadcasts;

    private sealed record Cached<T>(T Value, DateTimeOffset At);

    public TimeSpan CacheFor => TimeSpan.FromSeconds(Math.Clamp(options.Value.CatalogCacheSeconds, 0, 300));

    public async Task<IReadOnlyList<SegmentDefinition>> SegmentsAsync(CancellationToken cancellationToken)
        => (_segments = await RefreshAsync(_segments, segments.ListAsync, cancellationToken)).Value;

    public async Task<IReadOnlyList<FlowDefinition>> FlowsAsync(CancellationToken cancellationToken)
        => (_flows = await RefreshAsync(_flows, flows.ListAsync, cancellationToken)).Value;

    public async Task<FlowDefinition?> FlowAsync(string flowId, CancellationToken cancellationToken)
        => (await FlowsAsync(cancellationToken)).FirstOrDefault(f => f.Id == flowId) ?? await flows.GetAsync(flowId, cancellationToken);

    /// <summary>Broadcasts of the last week: the ones a purchase can be credited to.</summary>
    public async Task<IReadOnlyList<BroadcastDefinition>> RecentBroadcastsAsync(CancellationToken cancellationToken)
        => (_broadcasts = await RefreshAsync(_broadcasts, ct => broadcasts.ListSinceAsync(time.GetUtcNow() - MemberEntry.CreditWindow, ct), cancellationToken)).Value;

    /// <summary>Forgets what this instance read (a definition created here is seen at once).</summary>
    public void Invalidate()
    {
        _segments = null;
        _flows = null;
        _broadcasts = null;
    }

    private async Task<Cached<T>> RefreshAsync<T>(Cached<T>? cached, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (cached is not null && now - cached.At < CacheFor && now >= cached.At) return cached;
        return new Cached<T>(await read(cancellationToken), now);
    }
}
