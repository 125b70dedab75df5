using WeStore.Storage;

namespace WeStore.Tests.Support;

public static class StorageFactory
{
    /// <summary>Storage clients over the test Azurite with their own request counter.</summary>
    public static StorageClients Create() => new(new StorageConnection(TestStorage.ConnectionString, null, null, null), new StorageRequestCounter());

    /// <summary>A key no other test uses, so tests can share one Azurite in parallel.</summary>
    public static string UniqueKey(string prefix = "t") => prefix + Guid.NewGuid().ToString("N");
}
