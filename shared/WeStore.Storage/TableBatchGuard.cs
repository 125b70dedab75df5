using Azure.Data.Tables;

namespace WeStore.Storage;

/// <summary>
/// Azure refuses entity group transactions that span partitions or hold more than 100 operations; Azurite
/// accepts both, so this check runs before anything is sent and keeps local runs honest.
/// </summary>
public static class TableBatchGuard
{
    public const int MaxOperations = 100;

    public static void Validate(IReadOnlyCollection<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            throw new StorageBatchException("A batch must hold at least one operation.");
        }

        if (actions.Count > MaxOperations)
        {
            throw new StorageBatchException($"A batch may hold at most {MaxOperations} operations; this one holds {actions.Count}.");
        }

        string? partition = null;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            var key = action.Entity.PartitionKey;
            partition ??= key;
            if (!string.Equals(partition, key, StringComparison.Ordinal))
            {
                throw new StorageBatchException("A batch must stay in one partition.");
            }

            if (!rows.Add(action.Entity.RowKey))
            {
                throw new StorageBatchException("A batch may touch each row only once.");
            }
        }
    }

    /// <summary>Validates, then submits the batch as one atomic transaction.</summary>
    public static async Task<Azure.Response<IReadOnlyList<Azure.Response>>> SubmitBatchAsync(
        this TableClient table, IReadOnlyCollection<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        Validate(actions);
        return await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
    }
}

public sealed class StorageBatchException(string message) : InvalidOperationException(message);
