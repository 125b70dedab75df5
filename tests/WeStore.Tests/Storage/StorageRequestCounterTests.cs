using Azure.Data.Tables;
using WeStore.Tests.Support;

namespace WeStore.Tests.Storage;

public sealed class StorageRequestCounterTests
{
    [Fact]
    public async Task BeginScope_ThreeWritesAndOneRead_CountsFour()
    {
        var clients = StorageFactory.Create();
        var table = await clients.GetTableAsync("CounterTest");
        var p = StorageFactory.UniqueKey();
        var before = clients.Counter.Total;

        using var scope = clients.Counter.BeginScope();
        for (var i = 0; i < 3; i++) await table.UpsertEntityAsync(new TableEntity(p, $"r{i}"));
        await table.GetEntityIfExistsAsync<TableEntity>(p, "r0");

        Assert.Equal(4, scope.Count);
        Assert.Equal(4, clients.Counter.Total - before);
        Assert.All(scope.Requests, r => Assert.Contains("CounterTest", r));
    }

    [Fact]
    public async Task BeginScope_ConcurrentFlows_EachCountsOnlyItsOwn()
    {
        var clients = StorageFactory.Create();
        var table = await clients.GetTableAsync("CounterTest");

        async Task<int> Flow(int writes)
        {
            using var scope = clients.Counter.BeginScope();
            var p = StorageFactory.UniqueKey();
            for (var i = 0; i < writes; i++) await table.UpsertEntityAsync(new TableEntity(p, $"r{i}"));
            return scope.Count;
        }

        var counts = await Task.WhenAll(Flow(1), Flow(2), Flow(5), Flow(3));

        Assert.Equal([1, 2, 5, 3], counts);
    }

    [Fact]
    public async Task BeginScope_Nested_OuterIncludesInner()
    {
        var clients = StorageFactory.Create();
        var table = await clients.GetTableAsync("CounterTest");
        var p = StorageFactory.UniqueKey();

        using var outer = clients.Counter.BeginScope();
        await table.UpsertEntityAsync(new TableEntity(p, "a"));
        using (var inner = clients.Counter.BeginScope())
        {
            await table.UpsertEntityAsync(new TableEntity(p, "b"));
            Assert.Equal(1, inner.Count);
        }

        await table.UpsertEntityAsync(new TableEntity(p, "c"));
        Assert.Equal(3, outer.Count);
    }
}
