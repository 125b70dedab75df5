using Microsoft.Extensions.Configuration;
using WeStore.Storage;

namespace WeStore.UnitTests.Storage;

public sealed class StorageConnectionTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void FromConfiguration_ConnectionString_UsesIt()
    {
        var connection = StorageConnection.FromConfiguration(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true")));

        Assert.True(connection.UsesConnectionString);
        Assert.Null(connection.TableServiceUri);
    }

    [Fact]
    public void FromConfiguration_ManagedIdentitySettings_ReadLikeTheHost()
    {
        // Environment form AzureWebJobsStorage__tableServiceUri becomes the key below.
        var connection = StorageConnection.FromConfiguration(Settings(
            ("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://acct.queue.core.windows.net"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.False(connection.UsesConnectionString);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), connection.QueueServiceUri);
        Assert.Equal("00000000-0000-0000-0000-000000000001", connection.ManagedIdentityClientId);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(connection.CreateCredential());
    }

    [Fact]
    public void FromConfiguration_AccountNameOnly_DerivesServiceUris()
    {
        var connection = StorageConnection.FromConfiguration(Settings(("AzureWebJobsStorage:accountName", "westore")));

        Assert.Equal(new Uri("https://westore.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://westore.queue.core.windows.net"), connection.QueueServiceUri);
    }

    [Fact]
    public void FromConfiguration_Nothing_ClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromConfiguration(Settings()));

        Assert.Contains("AzureWebJobsStorage", error.Message);
    }

    [Fact]
    public void FromConfiguration_UnknownCredentialKind_Refused()
        => Assert.Throws<InvalidOperationException>(() => StorageConnection.FromConfiguration(Settings(
            ("AzureWebJobsStorage:accountName", "westore"), ("AzureWebJobsStorage:credential", "connectionstring"))));
}
