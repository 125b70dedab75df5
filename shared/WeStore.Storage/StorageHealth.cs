using Azure;

namespace WeStore.Storage;

public interface IStorageHealth
{
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}

/// <summary>One point read of a row that need not exist: a 404 still proves storage answers.</summary>
internal sealed class StorageHealth(StorageClients clients) : IStorageHealth
{
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            var table = await clients.GetTableAsync(TableNames.Health, timeout.Token).ConfigureAwait(false);
            await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", cancellationToken: timeout.Token)
                .ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException or System.Net.Http.HttpRequestException)
        {
            return false;
        }
    }
}
