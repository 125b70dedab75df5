using Azure.Data.Tables;
using WeStore.Storage;
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

    [Fact]
    public async Task Operations_PointReadsWritesAndAMiss_TalliedByOperationWithoutKeys()
    {
        var clients = StorageFactory.Create();
        var table = await clients.GetTableAsync("CounterOps");
        var queue = await clients.GetQueueAsync("counter-ops");
        var p = StorageFactory.UniqueKey();
        var before = clients.Counter.Operations;

        await table.UpsertEntityAsync(new TableEntity(p, "a"), TableUpdateMode.Replace);
        await table.UpsertEntityAsync(new TableEntity(p, "b"), TableUpdateMode.Replace);
        await table.GetEntityIfExistsAsync<TableEntity>(p, "a");
        await table.GetEntityIfExistsAsync<TableEntity>(p, "missing");
        await queue.SendMessageAsync("m");

        var after = clients.Counter.Operations;
        OperationStats Delta(string name)
        {
            var a = after[name];
            var b = before.GetValueOrDefault(name) ?? new OperationStats(0, 0, 0);
            return new OperationStats(a.Count - b.Count, a.Failed - b.Failed, a.TotalMilliseconds - b.TotalMilliseconds);
        }

        Assert.Equal((2L, 0L), (Delta("PUT CounterOps").Count, Delta("PUT CounterOps").Failed));
        Assert.Equal((2L, 1L), (Delta("GET CounterOps").Count, Delta("GET CounterOps").Failed)); // the miss is a 404
        Assert.Equal(1L, Delta("POST counter-ops/messages").Count);
        Assert.True(Delta("GET CounterOps").TotalMilliseconds > 0);
        Assert.DoesNotContain(after.Keys, k => k.Contains(p, StringComparison.Ordinal));
    }
}
