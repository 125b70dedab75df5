using Azure.Data.Tables;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Storage;

public sealed class TableBatchGuardTests
{
    private static TableTransactionAction Upsert(string partition, string row)
        => new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, row) { ["Value"] = 1 });

    [Fact]
    public async Task SubmitBatchAsync_CrossPartition_RefusedBeforeAnyRequest()
    {
        var clients = StorageFactory.Create();
        var table = await clients.GetTableAsync("GuardTest");
        var p = StorageFactory.UniqueKey();
        using var scope = clients.Counter.BeginScope();

        var error = await Assert.ThrowsAsync<StorageBatchException>(() =>
            table.SubmitBatchAsync([Upsert(p, "a"), Upsert(p + "x", "b")]));

        Assert.Contains("one partition", error.Message);
        Assert.Equal(0, scope.Count);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(p, "a")).HasValue);
    }

    [Fact]
    public async Task SubmitBatchAsync_101Operations_RefusedBeforeAnyRequest()
    {
        var clients = StorageFactory.Create();
        var table = await clients.GetTableAsync("GuardTest");
        var p = StorageFactory.UniqueKey();
        var actions = Enumerable.Range(0, 101).Select(i => Upsert(p, $"r{i:000}")).ToList();
        using var scope = clients.Counter.BeginScope();

        await Assert.ThrowsAsync<StorageBatchException>(() => table.SubmitBatchAsync(actions));

        Assert.Equal(0, scope.Count);
    }

    [Fact]
    public async Task SubmitBatchAsync_100OperationsOnePartition_OneRequestAllWritten()
    {
        var clients = StorageFactory.Create();
        var table = await clients.GetTableAsync("GuardTest");
        var p = StorageFactory.UniqueKey();
        var actions = Enumerable.Range(0, 100).Select(i => Upsert(p, $"r{i:000}")).ToList();
        using var scope = clients.Counter.BeginScope();

        await table.SubmitBatchAsync(actions);

        Assert.Equal(1, scope.Count);
        var rows = table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {p}"));
        Assert.Equal(100, await rows.CountAsync());
    }

    [Fact]
    public void Validate_SameRowTwice_Refused()
        => Assert.Throws<StorageBatchException>(() => TableBatchGuard.Validate([Upsert("p", "a"), Upsert("p", "a")]));

    [Fact]
    public void Validate_Empty_Refused()
        => Assert.Throws<StorageBatchException>(() => TableBatchGuard.Validate([]));
}
