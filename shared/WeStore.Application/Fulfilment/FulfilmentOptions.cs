namespace WeStore.Application.Fulfilment;

/// <summary>The <c>Fulfilment:*</c> settings.</summary>
public sealed class FulfilmentOptions
{
    public const string Section = "Fulfilment";

    /// <summary>Days after receipt during which after-sale requests are taken; the order completes when they are over.</summary>
    public int AfterSaleDays { get; set; } = 7;

    /// <summary>Days after the last package shipped after which receipt is confirmed by the store itself.</summary>
    public int AutoConfirmDays { get; set; } = 10;

    /// <summary>The subscription template of the shipped notice; empty sends none.</summary>
    public string? ShippedTemplateId { get; set; }

    /// <summary>How long after payment WeChat's "payment not found" (10060001) is taken for a payment not yet ingested.</summary>
    public int NotIngestedMinutes { get; set; } = 10;

    /// <summary>The Mini Program page the shipped notice opens (the order's number is appended).</summary>
    public string OrderPage { get; set; } = "pages/order/detail?orderNo=";

    public TimeSpan AfterSale => TimeSpan.FromDays(Math.Clamp(AfterSaleDays, 0, 90));

    public TimeSpan AutoConfirm => TimeSpan.FromDays(Math.Clamp(AutoConfirmDays, 1, 60));
}
