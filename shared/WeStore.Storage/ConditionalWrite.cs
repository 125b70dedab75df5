using Azure;
using Azure.Data.Tables;

namespace WeStore.Storage;

/// <summary>The one optimistic row write: added when it was never read (no version), else replaced under the version it was read at.</summary>
internal static class ConditionalWrite
{
    /// <summary>The row's new ETag, or null when another writer got there first (it exists, changed, or is gone): read again and retry.</summary>
    public static async Task<string?> TryAsync(TableClient table, TableEntity entity, string? version, CancellationToken cancellationToken)
    {
        try
        {
            var response = version is null
                ? await table.AddEntityAsync(entity, cancellationToken)
                : await table.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString() ?? string.Empty;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return null;
        }
    }
}
