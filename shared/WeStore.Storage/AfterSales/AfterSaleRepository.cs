using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.AfterSales;
using WeStore.Domain.Orders;

namespace WeStore.Storage.AfterSales;

/// <summary>
/// After-sale requests: row <c>aftersale|{id}</c> in the member's partition of <c>Members</c>, beside the order, so a
/// request and its order are written in one batch.
/// </summary>
internal sealed class AfterSaleRepository(StorageClients clients) : IAfterSaleRepository
{
    internal const string RowPrefix = "aftersale|";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<AfterSale?> GetAsync(string openId, string afterSaleId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(openId, RowPrefix + afterSaleId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? Read(e) : null;
    }

    public async Task<IReadOnlyList<AfterSale>> ListAsync(string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        // One member's requests: one partition range.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {openId} and RowKey ge {RowPrefix} and RowKey lt {"aftersale}"}");
        var all = new List<AfterSale>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) all.Add(Read(e));
        return [.. all.OrderByDescending(a => a.RequestedAt)];
    }

    public async Task<bool> TrySaveAsync(AfterSale afterSale, Order? order, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var actions = new List<TableTransactionAction>
        {
            afterSale.Version is null
                ? new(TableTransactionActionType.Add, Write(afterSale))
                : new(TableTransactionActionType.UpdateReplace, Write(afterSale), new ETag(afterSale.Version)),
        };
        if (order is not null) actions.Add(new(TableTransactionActionType.UpdateReplace, Orders.OrderRepository.Write(order), order.Version is null ? ETag.All : new ETag(order.Version)));
        try
        {
            var response = await table.SubmitBatchAsync(actions, cancellationToken);
            afterSale.Saved(response.Value[0].Headers.ETag?.ToString() ?? string.Empty);
            if (order is not null) order.Saved(response.Value[1].Headers.ETag?.ToString() ?? string.Empty);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            return false;
        }
    }

    private static TableEntity Write(AfterSale a) => new(a.OpenId, RowPrefix + a.Id)
    {
        ["OrderNo"] = a.OrderNo,
        ["Type"] = a.Type.ToString(),
        ["Status"] = a.Status.ToString(),
        ["Lines"] = JsonSerializer.Serialize(a.Lines, Json),
        ["RequestedAmount"] = a.RequestedAmount,
        ["ApprovedAmount"] = a.ApprovedAmount,
        ["Reason"] = a.Reason,
        ["Description"] = a.Description,
        ["ImageUrls"] = a.ImageUrls.Count == 0 ? null : JsonSerializer.Serialize(a.ImageUrls, Json),
        ["ReturnAddress"] = a.ReturnAddress,
        ["Shipment"] = a.Shipment is null ? null : JsonSerializer.Serialize(a.Shipment, Json),
        ["Restock"] = a.Restock,
        ["RejectReason"] = a.RejectReason,
        ["RefundAttempt"] = a.RefundAttempt,
        ["Problem"] = a.Problem?.ToString(),
        ["RequestedAt"] = a.RequestedAt,
        ["UpdatedAt"] = a.UpdatedAt,
        ["ClosedAt"] = a.ClosedAt,
        ["RequestHash"] = a.RequestHash,
    };

    private static AfterSale Read(TableEntity e) => AfterSale.Restore(
        e.RowKey[RowPrefix.Length..], e.PartitionKey, e.GetString("OrderNo") ?? string.Empty,
        Enum.Parse<AfterSaleType>(e.GetString("Type") ?? nameof(AfterSaleType.Refund)), Enum.Parse<AfterSaleStatus>(e.GetString("Status") ?? nameof(AfterSaleStatus.Requested)),
        JsonSerializer.Deserialize<List<AfterSaleLine>>(e.GetString("Lines") ?? "[]", Json)!, e.GetInt64("RequestedAmount") ?? 0, e.GetInt64("ApprovedAmount"),
        e.GetString("Reason") ?? string.Empty, e.GetString("Description"),
        e.GetString("ImageUrls") is { } images ? JsonSerializer.Deserialize<List<string>>(images, Json)! : [],
        e.GetString("ReturnAddress"), e.GetString("Shipment") is { } shipment ? JsonSerializer.Deserialize<ReturnShipment>(shipment, Json) : null,
        e.GetBoolean("Restock"), e.GetString("RejectReason"), e.GetInt32("RefundAttempt") ?? 0,
        e.GetString("Problem") is { } problem ? Enum.Parse<RefundProblem>(problem) : null,
        e.GetDateTimeOffset("RequestedAt") ?? default, e.GetDateTimeOffset("UpdatedAt") ?? default, e.GetDateTimeOffset("ClosedAt"),
        e.GetString("RequestHash") ?? string.Empty, e.ETag.ToString());
}
