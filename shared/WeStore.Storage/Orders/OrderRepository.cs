using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Attribution;
using WeStore.Domain.Orders;

namespace WeStore.Storage.Orders;

/// <summary>
/// Orders live in the member's partition of the Members table (row <c>order|{orderNo}</c>), beside the member's
/// other things, so an order and what it reserves for the member can be written in one batch.
/// </summary>
internal sealed class OrderRepository(StorageClients clients) : IOrderRepository
{
    internal const string RowPrefix = "order|";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions FulfilmentJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    internal static string RowKey(string orderNo) => RowPrefix + orderNo;

    public async Task<Order?> GetAsync(string openId, string orderNo, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(openId, RowKey(orderNo), cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } row ? Read(row) : null;
    }

    public async Task<bool> TryCreateAsync(Order order, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        try
        {
            await table.AddEntityAsync(Write(order), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<OrderCreation> TryCreateWithAsync(
        Order order, WeStore.Domain.Coupons.Coupon? reservedCoupon, WeStore.Domain.Loyalty.PointsAccount? points, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        // One batch in the member's partition: the order, its coupon's reservation and its points stand or fall together.
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, Write(order)) };
        var couponIndex = reservedCoupon is null ? -1 : actions.Count;
        if (reservedCoupon is not null) actions.Add(Coupons.CouponEntities.SaveCoupon(reservedCoupon));
        if (points is not null) actions.AddRange(Loyalty.PointsEntities.Actions(points));
        try
        {
            await table.SubmitBatchAsync(actions, cancellationToken);
            return OrderCreation.Created;
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status == 409)
        {
            return OrderCreation.OrderExists;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404 or 409)
        {
            return e.FailedTransactionActionIndex == couponIndex || points is null ? OrderCreation.CouponChanged : OrderCreation.PointsChanged;
        }
    }

    public async Task<bool> TrySaveAsync(Order order, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(Write(order), order.Version is null ? ETag.All : new ETag(order.Version), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task<OrderPage> ListAsync(string openId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        // One member's orders are one partition range: not a scan. Sorted here because row keys are order numbers.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {openId} and RowKey ge {RowPrefix} and RowKey lt {"order}"}");
        var all = new List<Order>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) all.Add(Read(row));
        var ordered = all.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.OrderNo, StringComparer.Ordinal).ToList();

        var start = 0;
        if (DecodeToken(continuationToken) is { } after)
        {
            start = ordered.FindIndex(o => o.CreatedAt < after.CreatedAt || (o.CreatedAt == after.CreatedAt && string.CompareOrdinal(o.OrderNo, after.OrderNo) < 0));
            if (start < 0) start = ordered.Count;
        }

        var page = ordered.Skip(start).Take(pageSize).ToList();
        var next = start + page.Count < ordered.Count && page.Count > 0 ? EncodeToken(page[^1]) : null;
        return new OrderPage(page, next);
    }

    private static readonly System.Text.RegularExpressions.Regex ListToken = new(@"^\d{1,19}:[A-Za-z0-9_\-]{1,40}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string EncodeToken(Order last) => ContinuationTokens.Encode($"{last.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{last.OrderNo}");

    private static (DateTimeOffset CreatedAt, string OrderNo)? DecodeToken(string? token)
    {
        if (ContinuationTokens.Decode(token, ListToken) is not { } text) return null;
        var parts = text.Split(':', 2);
        return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 && ticks < DateTime.MaxValue.Ticks
            ? (new DateTimeOffset(ticks, TimeSpan.Zero), parts[1])
            : null;
    }

    internal static TableEntity Write(Order o) => new(o.OpenId, RowKey(o.OrderNo))
    {
        ["Status"] = o.Status.ToString(),
        ["Lines"] = JsonSerializer.Serialize(o.Lines, Json),
        ["Subtotal"] = o.Amounts.Subtotal,
        ["Discount"] = o.Amounts.Discount,
        ["Payable"] = o.Amounts.Payable,
        ["CouponId"] = o.CouponId,
        ["Address"] = JsonSerializer.Serialize(o.Address, Json),
        ["Remark"] = o.Remark,
        ["CreatedAt"] = o.CreatedAt,
        ["ExpiresAt"] = o.ExpiresAt,
        ["PrepayId"] = o.PrepayId,
        ["RequestHash"] = o.RequestHash,
        ["Response"] = o.ResponseJson,
        ["TransactionId"] = o.TransactionId,
        ["PaidAt"] = o.PaidAt,
        ["ClosedAt"] = o.ClosedAt,
        ["CloseReason"] = o.CloseReason,
        ["PaidAmount"] = o.PaidAmount,
        ["PaymentIssue"] = o.PaymentIssue,
        ["Refunds"] = o.Refunds.Count == 0 ? null : JsonSerializer.Serialize(o.Refunds, Json),
        ["Attribution"] = o.Attribution.IsEmpty ? null : JsonSerializer.Serialize(o.Attribution, Json),
        ["PointsUsed"] = o.PointsUsed == 0 ? null : o.PointsUsed,
        ["PointsTakes"] = o.PointsTakes.Count == 0 ? null : JsonSerializer.Serialize(o.PointsTakes, Json),
        ["PaidByAttempt"] = o.PaidByAttempt,
        ["AttributionPending"] = o.AttributionPending ? true : null,
        ["Fulfilment"] = o.Fulfilment.IsEmpty ? null : JsonSerializer.Serialize(o.Fulfilment, FulfilmentJson),
        ["AfterSales"] = o.AfterSales.Count == 0 ? null : JsonSerializer.Serialize(o.AfterSales, FulfilmentJson),
        ["Team"] = o.Team is null ? null : JsonSerializer.Serialize(o.Team, Json),
    };

    private static Order Read(TableEntity e) => Order.Restore(
        e.RowKey[RowPrefix.Length..],
        e.PartitionKey,
        Enum.Parse<OrderStatus>(e.GetString("Status")!),
        JsonSerializer.Deserialize<List<OrderLine>>(e.GetString("Lines")!, Json)!,
        new OrderAmounts(e.GetInt64("Subtotal") ?? 0, e.GetInt64("Discount") ?? 0, e.GetInt64("Payable") ?? 0),
        e.GetString("CouponId"),
        JsonSerializer.Deserialize<ShippingAddress>(e.GetString("Address")!, Json)!,
        e.GetString("Remark"),
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("ExpiresAt") ?? default,
        e.GetString("PrepayId") ?? string.Empty,
        e.GetString("RequestHash") ?? string.Empty,
        e.GetString("Response") ?? string.Empty,
        e.GetString("TransactionId"),
        e.GetDateTimeOffset("PaidAt"),
        e.GetDateTimeOffset("ClosedAt"),
        e.GetString("CloseReason"),
        e.ETag.ToString(),
        e.GetInt64("PaidAmount") ?? 0,
        e.GetString("PaymentIssue"),
        e.GetString("Refunds") is { } refunds ? JsonSerializer.Deserialize<List<OrderRefund>>(refunds, Json) : null,
        e.GetString("Attribution") is { } attribution ? JsonSerializer.Deserialize<OrderAttribution>(attribution, Json) : null,
        e.GetInt64("PointsUsed") ?? 0,
        e.GetString("PointsTakes") is { } takes ? JsonSerializer.Deserialize<List<WeStore.Domain.Loyalty.LotTake>>(takes, Json) : null,
        e.GetString("PaidByAttempt"),
        e.GetBoolean("AttributionPending") ?? false,
        e.GetString("Fulfilment") is { Length: > 0 } fulfilment ? JsonSerializer.Deserialize<OrderFulfilment>(fulfilment, FulfilmentJson) : null,
        e.GetString("AfterSales") is { Length: > 0 } afterSales ? JsonSerializer.Deserialize<List<OrderAfterSale>>(afterSales, FulfilmentJson) : null,
        e.GetString("Team") is { Length: > 0 } team ? JsonSerializer.Deserialize<OrderTeam>(team, Json) : null);
}
