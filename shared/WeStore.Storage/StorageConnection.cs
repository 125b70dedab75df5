using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace WeStore.Storage;

/// <summary>
/// Where storage lives. Read the way the Functions host reads <c>AzureWebJobsStorage</c>: either a connection
/// string (Azurite, local) or identity-based settings (<c>__tableServiceUri</c>, <c>__queueServiceUri</c>,
/// <c>__blobServiceUri</c>, <c>__credential</c>, <c>__clientId</c>) so the app and the host share one account and one identity.
/// </summary>
public sealed record StorageConnection(
    string? ConnectionString,
    Uri? TableServiceUri,
    Uri? QueueServiceUri,
    string? ManagedIdentityClientId,
    Uri? BlobServiceUri = null)
{
    public const string DefaultSettingName = "AzureWebJobsStorage";

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    public static StorageConnection FromConfiguration(IConfiguration configuration, string settingName = DefaultSettingName)
    {
        var connectionString = configuration[settingName];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageConnection(connectionString, null, null, null);
        }

        var section = configuration.GetSection(settingName);
        var accountName = section["accountName"];
        var tableUri = UriOrNull(section["tableServiceUri"])
            ?? (accountName is null ? null : new Uri($"https://{accountName}.table.core.windows.net"));
        var queueUri = UriOrNull(section["queueServiceUri"])
            ?? (accountName is null ? null : new Uri($"https://{accountName}.queue.core.windows.net"));
        var blobUri = UriOrNull(section["blobServiceUri"])
            ?? (accountName is null ? null : new Uri($"https://{accountName}.blob.core.windows.net"));
        if (tableUri is null || queueUri is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set '{settingName}' to a connection string, or set " +
                $"'{settingName}__tableServiceUri' and '{settingName}__queueServiceUri' (or '{settingName}__accountName').");
        }

        var credentialKind = section["credential"];
        var clientId = section["clientId"];
        if (credentialKind is not null && !string.Equals(credentialKind, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"'{settingName}__credential' must be 'managedidentity' when set.");
        }

        return new StorageConnection(null, tableUri, queueUri, string.IsNullOrWhiteSpace(clientId) ? null : clientId, blobUri);
    }

    public TokenCredential CreateCredential() => ManagedIdentityClientId is null
        ? new DefaultAzureCredential()
        : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(ManagedIdentityClientId));

    private static Uri? UriOrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : new Uri(value, UriKind.Absolute);
}
