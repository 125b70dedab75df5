using Microsoft.Extensions.Logging.Abstractions;
using WeStore.Domain.Attribution;
using WeStore.Storage;
using WeStore.Storage.Attribution;
using WeStore.Tests.Support;

namespace WeStore.Tests.Storage.Attribution;

public sealed class AttributionCounterStoreTests
{
    private static AttributionCounterStore NewInstance(out StorageClients clients)
    {
        clients = StorageFactory.Create();
        return new AttributionCounterStore(clients, NullLogger<AttributionCounterStore>.Instance);
    }

    [Fact]
    public async Task AddAsync_2000ConcurrentFromThreeInstances_SumIsExact()
    {
        var day = StorageFactory.UniqueKey("d");
        var key = new CounterKey("hot", "live", null);
        var instances = Enumerable.Range(0, 3).Select(_ => NewInstance(out StorageClients _)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i =>
            instances[i % 3].AddAsync(day, key, new AttributionCounts(Scans: 1, Visitors: i % 2), default)));

        var row = Assert.Single(await instances[0].ReadDayAsync(day, default));
        Assert.Equal(2000, row.Counts.Scans);
        Assert.Equal(1000, row.Counts.Visitors);
        Assert.Equal(key, row.Key);
    }

    [Fact]
    public async Task AddAsync_ConcurrentScans_CoalescedIntoFewWrites()
    {
        var day = StorageFactory.UniqueKey("d");
        var store = NewInstance(out var clients);
        var key = new CounterKey("busy", "kol", null);
        await store.AddAsync(day, key, new AttributionCounts(Scans: 1), default);

        var before = clients.Counter.Total;
        await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => store.AddAsync(day, key, new AttributionCounts(Scans: 1), default)));

        Assert.True(clients.Counter.Total - before < 100, $"{clients.Counter.Total - before} requests for 500 additions");
        Assert.Equal(501, Assert.Single(await store.ReadDayAsync(day, default)).Counts.Scans);
    }

    [Fact]
    public async Task AddOnceAsync_SameOrderConcurrently_CountedOnce()
    {
        var day = StorageFactory.UniqueKey("d");
        var store = NewInstance(out _);
        var key = new CounterKey("c1", "shelf", "staff1");

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            store.AddOnceAsync(day, key, "ORDER1", new AttributionCounts(Orders: 1, PaidOrders: 1, PaidGmv: 990), default)));
        await store.AddOnceAsync(day, key, "ORDER2", new AttributionCounts(Orders: 1), default);

        Assert.Equal(1, results.Count(r => r));
        var row = Assert.Single(await store.ReadDayAsync(day, default));
        Assert.Equal(new AttributionCounts(Orders: 2, PaidOrders: 1, PaidGmv: 990), row.Counts);
    }

    [Fact]
    public async Task ReadDayAsync_UnknownAndKnown_SeparateRows_MarkersIgnored()
    {
        var day = StorageFactory.UniqueKey("d");
        var store = NewInstance(out _);
        await store.AddAsync(day, CounterKey.UnknownScene, new AttributionCounts(Scans: 3), default);
        await store.AddAsync(day, new CounterKey("k", "ad", null), new AttributionCounts(Scans: 2), default);
        await store.AddOnceAsync(day, new CounterKey("k", "ad", null), "O1", new AttributionCounts(Orders: 1), default);

        var rows = await store.ReadDayAsync(day, default);

        Assert.Equal(2, rows.Count);
        Assert.Equal(3, rows.Single(r => r.Key.SceneId is null).Counts.Scans);
        Assert.Equal(new AttributionCounts(Scans: 2, Orders: 1), rows.Single(r => r.Key.SceneId == "k").Counts);
    }
}
