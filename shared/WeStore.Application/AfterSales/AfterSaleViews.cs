using WeStore.Domain.AfterSales;

namespace WeStore.Application.AfterSales;

/// <summary>What the buyer asks: a refund (lines optional, or an amount only) or a return (lines required).</summary>
public sealed record AfterSaleCommand(AfterSaleType Type, IReadOnlyList<AfterSaleLine> Lines, long? Amount, string Reason, string? Description, IReadOnlyList<string> ImageUrls);

public sealed record AfterSaleLineView(string SkuId, int Quantity);

public sealed record ReturnShipmentView(string ExpressCompany, string TrackingNo, DateTimeOffset ShippedAt);

public sealed record AfterSaleView(
    string AfterSaleId, string OrderNo, string Type, string Status, IReadOnlyList<AfterSaleLineView> Lines, long RequestedAmount, long? ApprovedAmount,
    string Reason, string? Description, IReadOnlyList<string> ImageUrls, string? ReturnAddress, ReturnShipmentView? ReturnShipment, bool? Restock,
    string? RejectReason, string? OutRefundNo, string? RefundProblem, DateTimeOffset RequestedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ClosedAt)
{
    public static AfterSaleView From(AfterSale a) => new(
        a.Id, a.OrderNo, Camel(a.Type.ToString()), Camel(a.Status.ToString()), [.. a.Lines.Select(l => new AfterSaleLineView(l.SkuId, l.Quantity))],
        a.RequestedAmount, a.ApprovedAmount, a.Reason, a.Description, a.ImageUrls, a.ReturnAddress,
        a.Shipment is { } s ? new ReturnShipmentView(s.ExpressCompany, s.TrackingNo, s.ShippedAt) : null, a.Restock, a.RejectReason, a.OutRefundNo,
        a.Problem is { } p ? Camel(p.ToString()) : null, a.RequestedAt, a.UpdatedAt, a.ClosedAt);

    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

public sealed record AfterSaleList(IReadOnlyList<AfterSaleView> AfterSales, string? ContinuationToken = null);

/// <summary>An operator's retry of an abnormal refund: where the money goes (WeChat Pay's abnormal-refund types).</summary>
public sealed record AbnormalRefundTarget(string Type, string? BankType, string? BankAccount, string? RealName);
