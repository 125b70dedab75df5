using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary>
/// <c>POST /wxa/sec/order/upload_shipping_info</c>: tells WeChat what a payment shipped, so its frozen funds can
/// settle once receipt is confirmed. One payment's information can be updated once, and a payment has one re-ship
/// (calling again after shipping is complete, or changing the delivery mode or logistics type); split shipping is
/// express only, 1 to 15 packages
/// (https://developers.weixin.qq.com/miniprogram/dev/server/API/order_shipping/api_uploadshippinginfo.html).
/// </summary>
public sealed class WxaSecOrderUploadShippingInfoRequest
{
    public const string Path = "wxa/sec/order/upload_shipping_info";

    /// <summary><c>delivery_mode</c>: one package for the whole payment.</summary>
    public const int UnifiedDelivery = 1;

    /// <summary><c>delivery_mode</c>: several packages (express only), <c>is_all_delivered</c> true with the last.</summary>
    public const int SplitDelivery = 2;

    [JsonPropertyName("order_key")]
    public required ShippingOrderKey OrderKey { get; init; }

    /// <summary>1 express, 2 local delivery, 3 virtual goods, 4 pickup by the buyer.</summary>
    [JsonPropertyName("logistics_type")]
    public required int LogisticsType { get; init; }

    [JsonPropertyName("delivery_mode")]
    public required int DeliveryMode { get; init; }

    /// <summary>Required in split mode; the buyer is told "shipped" only once it is true.</summary>
    [JsonPropertyName("is_all_delivered")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsAllDelivered { get; init; }

    /// <summary>Always an array (an object is 47001 "data format error").</summary>
    [JsonPropertyName("shipping_list")]
    public required IReadOnlyList<ShippingListItem> ShippingList { get; init; }

    /// <summary>RFC 3339 with the offset, e.g. <c>2022-12-15T13:29:35.120+08:00</c>; an update needs a later one.</summary>
    [JsonPropertyName("upload_time")]
    public required string UploadTime { get; init; }

    [JsonPropertyName("payer")]
    public required ShippingPayer Payer { get; init; }
}

/// <summary>Which payment: by <c>transaction_id</c> (type 2) or by <c>mchid</c> + <c>out_trade_no</c> (type 1).</summary>
public sealed class ShippingOrderKey
{
    [JsonPropertyName("order_number_type")]
    public required int OrderNumberType { get; init; }

    [JsonPropertyName("transaction_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TransactionId { get; init; }

    [JsonPropertyName("mchid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MchId { get; init; }

    [JsonPropertyName("out_trade_no")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OutTradeNo { get; init; }

    public static ShippingOrderKey For(string? transactionId, string mchId, string outTradeNo) => transactionId is { Length: > 0 }
        ? new ShippingOrderKey { OrderNumberType = 2, TransactionId = transactionId }
        : new ShippingOrderKey { OrderNumberType = 1, MchId = mchId, OutTradeNo = outTradeNo };
}

public sealed class ShippingListItem
{
    /// <summary>Required for express: 1 to 128 bytes.</summary>
    [JsonPropertyName("tracking_no")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TrackingNo { get; init; }

    /// <summary>Required for express: a <c>delivery_id</c> from get_delivery_list.</summary>
    [JsonPropertyName("express_company")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExpressCompany { get; init; }

    /// <summary>At most 120 characters, e.g. <c>龙井茶 50g*2</c>.</summary>
    [JsonPropertyName("item_desc")]
    public required string ItemDesc { get; init; }

    /// <summary>Required (one of the two) for SF Express: masked, with the last four digits kept.</summary>
    [JsonPropertyName("contact")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ShippingContact? Contact { get; init; }
}

public sealed class ShippingContact
{
    [JsonPropertyName("consignor_contact")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConsignorContact { get; init; }

    [JsonPropertyName("receiver_contact")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReceiverContact { get; init; }
}

public sealed class ShippingPayer
{
    [JsonPropertyName("openid")]
    public required string OpenId { get; init; }
}

public sealed class WxaSecOrderUploadShippingInfoResponse : WeChatResponse;
