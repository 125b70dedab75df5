using WeStore.Domain.Fulfilment;
using WeStore.Domain.Orders;

namespace WeStore.Application.Fulfilment;

/// <summary>What the operator asks to ship: one logistics type for the order, and packages.</summary>
public sealed record ShipCommand(LogisticsType LogisticsType, IReadOnlyList<NewPackage> Packages);

public sealed record PackageItemView(string SkuId, int Quantity);

public sealed record PackageView(string PackageId, string? ExpressCompany, string? TrackingNo, IReadOnlyList<PackageItemView> Items, DateTimeOffset ShippedAt)
{
    public static PackageView From(OrderPackage p) => new(p.PackageId, p.ExpressCompany, p.TrackingNo, [.. p.Items.Select(i => new PackageItemView(i.SkuId, i.Quantity))], p.ShippedAt);
}

/// <summary>WeChat's side of the shipment: the ledger's state, what WeChat holds, and the last answer.</summary>
public sealed record ShippingUploadView(
    string State, string? DeliveryMode, IReadOnlyList<string> UploadedPackages, bool Complete, int Attempts, int? LastErrorCode, string? LastErrorMessage,
    DateTimeOffset? LastAttemptAt)
{
    public static ShippingUploadView? From(ShippingUpload? u) => u is null ? null : new(
        char.ToLowerInvariant(u.State.ToString()[0]) + u.State.ToString()[1..],
        u.DeliveryMode switch { 1 => "unified", 2 => "split", _ => null },
        u.UploadedPackages, u.Complete, u.Attempts, u.LastErrorCode, u.LastErrorMessage, u.LastAttemptAt);
}

public sealed record FulfilmentView(
    string? LogisticsType, IReadOnlyList<PackageView> Packages, DateTimeOffset? LastShippedAt, DateTimeOffset? ReceivedAt, string? ReceiptSource,
    DateTimeOffset? CompletedAt, ShippingUploadView? Upload)
{
    public static FulfilmentView From(Order order, ShippingUpload? upload)
    {
        var f = order.Fulfilment;
        return new FulfilmentView(f.Logistics is { } t ? LogisticsName(t) : null, [.. f.Packages.Select(PackageView.From)], f.LastShippedAt, f.ReceivedAt,
            f.ReceiptSource is { } s ? char.ToLowerInvariant(s.ToString()[0]) + s.ToString()[1..] : null, f.CompletedAt, ShippingUploadView.From(upload));
    }

    public static string LogisticsName(WeStore.Domain.Orders.LogisticsType type) => type switch
    {
        WeStore.Domain.Orders.LogisticsType.Express => "express",
        WeStore.Domain.Orders.LogisticsType.LocalDelivery => "localDelivery",
        WeStore.Domain.Orders.LogisticsType.Virtual => "virtual",
        _ => "pickup",
    };
}

/// <summary>An order as operators see it: the member's view plus who paid, refunds and the fulfilment with WeChat's upload.</summary>
public sealed record OperatorOrderView(
    WeStore.Application.Orders.OrderView Order, string OpenId, long PaidAmount, long RefundedAmount, string? TransactionId,
    IReadOnlyList<OperatorRefundView> Refunds, FulfilmentView Fulfilment);

public sealed record OperatorRefundView(string OutRefundNo, long Amount, string Status, DateTimeOffset RequestedAt);

public sealed record OperatorOrderPage(IReadOnlyList<OperatorOrderView> Orders, string? ContinuationToken);

/// <summary>One CSV line's outcome: shipped (a new package), unchanged (already shipped: a re-import), refused (by the order's rules) or invalid (unreadable), with why.</summary>
public sealed record ImportLineResult(int Line, string? OrderNo, string Outcome, string? Message, string? PackageId);

public sealed record ImportResult(int Lines, int Shipped, int Unchanged, int Refused, int Invalid, IReadOnlyList<ImportLineResult> Results);
