using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Fulfilment;

namespace WeStore.Storage.Fulfilment;

/// <summary>The shipping ledger: row <c>shipping|{orderNo}</c> in the member's partition, beside the order.</summary>
internal sealed class ShippingUploadRepository(StorageClients clients) : IShippingUploadRepository
{
    internal const string RowPrefix = "shipping|";

    public async Task<ShippingUpload?> GetAsync(string openId, string orderNo, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(openId, RowPrefix + orderNo, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } e) return null;
        return ShippingUpload.Restore(openId, orderNo, Enum.Parse<UploadState>(e.GetString("State") ?? nameof(UploadState.Pending)),
            e.GetInt32("DeliveryMode"), e.GetInt32("LogisticsType"),
            (e.GetString("UploadedPackages") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries), e.GetBoolean("Complete") ?? false,
            e.GetInt32("Attempts") ?? 0, e.GetInt32("Retries") ?? 0, e.GetInt32("LastErrorCode"), e.GetString("LastErrorMessage"),
            e.GetDateTimeOffset("LastAttemptAt"), e.GetDateTimeOffset("UpdatedAt") ?? default, e.ETag.ToString(),
            e.GetString("LeaseId"), e.GetDateTimeOffset("LeaseUntil"));
    }

    public async Task<bool> TrySaveAsync(ShippingUpload u, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var entity = new TableEntity(u.OpenId, RowPrefix + u.OrderNo)
        {
            ["State"] = u.State.ToString(),
            ["DeliveryMode"] = u.DeliveryMode,
            ["LogisticsType"] = u.LogisticsType,
            ["UploadedPackages"] = string.Join(' ', u.UploadedPackages),
            ["Complete"] = u.Complete,
            ["Attempts"] = u.Attempts,
            ["Retries"] = u.Retries,
            ["LastErrorCode"] = u.LastErrorCode,
            ["LastErrorMessage"] = u.LastErrorMessage is { Length: > 500 } m ? m[..500] : u.LastErrorMessage,
            ["LastAttemptAt"] = u.LastAttemptAt,
            ["UpdatedAt"] = u.UpdatedAt,
            ["LeaseId"] = u.LeaseId,
            ["LeaseUntil"] = u.LeaseUntil,
        };
        if (await ConditionalWrite.TryAsync(table, entity, u.Version, cancellationToken) is not { } etag) return false;
        u.Saved(etag);
        return true;
    }
}
