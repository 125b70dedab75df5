namespace WeStore.Domain.Fulfilment;

/// <summary>The fulfilment capability's queues.</summary>
public static class FulfilmentQueues
{
    /// <summary>Sent with each shipment: the shipping upload to WeChat's order shipping management, from its ledger.</summary>
    public const string ShippingUpload = "shipping-upload";

    /// <summary>Sent with each shipment: the shipped notice to the buyer (a subscription message, if granted).</summary>
    public const string OrderShipped = "order-shipped";

    /// <summary>A batch of orders whose auto-confirm or completion fell due: the day index's fan-out.</summary>
    public const string FulfilmentDue = "fulfilment-due";

    /// <summary>An order completed (its after-sale window closed): what completion rewards hang on.</summary>
    public const string OrderCompleted = "order-completed";
}

public sealed record ShippingUploadMessage(string OpenId, string OrderNo);

public sealed record OrderShippedMessage(string OpenId, string OrderNo, IReadOnlyList<string> PackageIds);

/// <summary>What falls due for an order on a day: its receipt is auto-confirmed, or it completes.</summary>
public enum DueKind
{
    AutoConfirm,
    Complete,
}

public sealed record DueOrder(string OpenId, string OrderNo);

public sealed record FulfilmentDueMessage(string Day, DueKind Kind, IReadOnlyList<DueOrder> Orders);

public sealed record OrderCompletedMessage(string OpenId, string OrderNo);
