using WeStore.WeChat.MiniProgram;

namespace WeStore.Application.Fulfilment;

/// <summary>
/// WeChat's carriers (get_delivery_list), cached per instance for an hour: an express shipment names one by its
/// delivery_id, and an unknown one is refused at the route, never replaced by a default carrier.
/// </summary>
public sealed class DeliveryCompanies(WeChatApiClient wechat, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (IReadOnlyDictionary<string, string> Names, DateTimeOffset Until)? _cached;

    public async Task<IReadOnlyDictionary<string, string>> AllAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } c && c.Until > time.GetUtcNow()) return c.Names;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && again.Until > time.GetUtcNow()) return again.Names;
            var response = await wechat.GetDeliveryListAsync(cancellationToken);
            var names = response.DeliveryList.Where(d => !string.IsNullOrEmpty(d.DeliveryId))
                .GroupBy(d => d.DeliveryId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().DeliveryName ?? g.Key, StringComparer.Ordinal);
            _cached = (names, time.GetUtcNow() + CacheFor);
            return names;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> IsKnownAsync(string deliveryId, CancellationToken cancellationToken) => (await AllAsync(cancellationToken)).ContainsKey(deliveryId);
}
