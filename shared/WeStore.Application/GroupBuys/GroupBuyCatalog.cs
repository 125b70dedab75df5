using System.Collections.Concurrent;
using WeStore.Domain.GroupBuys;

namespace WeStore.Application.GroupBuys;

/// <summary>
/// Group-buy definitions as an instance last read them. A definition never changes once created, so a join reads it
/// once per instance and minute rather than once per request; one that does not exist is remembered briefly too, so a
/// flood of a bogus id costs one read.
/// </summary>
public sealed class GroupBuyCatalog(IGroupBuyStore store, TimeProvider time)
{
    private const int MaxCached = 10_000;
    private static readonly TimeSpan Known = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Unknown = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (GroupBuy? GroupBuy, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<GroupBuy?> GetAsync(string groupBuyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(groupBuyId, out var hit) && hit.Until > now) return hit.GroupBuy;
        var groupBuy = await store.GetAsync(groupBuyId, cancellationToken);
        if (_cache.Count >= MaxCached) _cache.Clear();
        _cache[groupBuyId] = (groupBuy, now + (groupBuy is null ? Unknown : Known));
        return groupBuy;
    }
}
