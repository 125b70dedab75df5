using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary>
/// <c>POST /wxa/sec/order/get_order</c>: WeChat's view of one payment's shipping: by <c>transaction_id</c>, or by
/// <c>merchant_id</c> + <c>merchant_trade_no</c> (not mchid/out_trade_no, unlike the upload)
/// (https://developers.weixin.qq.com/miniprogram/dev/server/API/order_shipping/api_getorder.html).
/// </summary>
public sealed class WxaSecOrderGetOrderRequest
{
    public const string Path = "wxa/sec/order/get_order";

    [JsonPropertyName("transaction_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TransactionId { get; init; }

    [JsonPropertyName("merchant_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MerchantId { get; init; }

    [JsonPropertyName("merchant_trade_no")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MerchantTradeNo { get; init; }

    public static WxaSecOrderGetOrderRequest For(string? transactionId, string mchId, string outTradeNo) => transactionId is { Length: > 0 }
        ? new WxaSecOrderGetOrderRequest { TransactionId = transactionId }
        : new WxaSecOrderGetOrderRequest { MerchantId = mchId, MerchantTradeNo = outTradeNo };
}

public sealed class WxaSecOrderGetOrderResponse : WeChatResponse
{
    [JsonPropertyName("order")]
    public ShippingOrder? Order { get; set; }
}

public sealed class ShippingOrder
{
    /// <summary>1 to ship, 2 shipped, 3 receipt confirmed, 4 completed, 5 refunded, 6 funds awaiting settlement.</summary>
    public const int ToShip = 1;
    public const int Shipped = 2;
    public const int ReceiptConfirmed = 3;
    public const int Completed = 4;
    public const int Refunded = 5;
    public const int AwaitingSettlement = 6;

    [JsonPropertyName("transaction_id")]
    public string? TransactionId { get; set; }

    [JsonPropertyName("merchant_id")]
    public string? MerchantId { get; set; }

    [JsonPropertyName("merchant_trade_no")]
    public string? MerchantTradeNo { get; set; }

    [JsonPropertyName("openid")]
    public string? OpenId { get; set; }

    [JsonPropertyName("paid_amount")]
    public long PaidAmount { get; set; }

    [JsonPropertyName("pay_time")]
    public long PayTime { get; set; }

    [JsonPropertyName("in_complaint")]
    public bool InComplaint { get; set; }

    [JsonPropertyName("order_state")]
    public int OrderState { get; set; }

    [JsonPropertyName("shipping")]
    public ShippingDetail? Shipping { get; set; }

    /// <summary>Receipt confirmed, or later (completed, awaiting settlement).</summary>
    public bool IsReceived => OrderState is ReceiptConfirmed or Completed or AwaitingSettlement;
}

public sealed class ShippingDetail
{
    [JsonPropertyName("delivery_mode")]
    public int DeliveryMode { get; set; }

    [JsonPropertyName("logistics_type")]
    public int LogisticsType { get; set; }

    [JsonPropertyName("finish_shipping")]
    public bool FinishShipping { get; set; }

    /// <summary>0 not done, 1 done, 2 re-shipped and done.</summary>
    [JsonPropertyName("finish_shipping_count")]
    public int FinishShippingCount { get; set; }

    [JsonPropertyName("shipping_list")]
    public List<ShippingDetailItem> ShippingList { get; set; } = [];
}

public sealed class ShippingDetailItem
{
    [JsonPropertyName("tracking_no")]
    public string? TrackingNo { get; set; }

    [JsonPropertyName("express_company")]
    public string? ExpressCompany { get; set; }

    [JsonPropertyName("upload_time")]
    public long UploadTime { get; set; }
}
