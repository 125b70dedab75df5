using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary>
/// <c>POST /wxa/sec/order/is_trade_managed</c>: whether WeChat's order shipping management applies to this Mini
/// Program; a store it does not manage uploads nothing
/// (https://developers.weixin.qq.com/miniprogram/dev/server/API/order_shipping/api_istrademanaged.html).
/// </summary>
public sealed class WxaSecOrderIsTradeManagedRequest
{
    public const string Path = "wxa/sec/order/is_trade_managed";

    [JsonPropertyName("appid")]
    public required string AppId { get; init; }
}

public sealed class WxaSecOrderIsTradeManagedResponse : WeChatResponse
{
    [JsonPropertyName("is_trade_managed")]
    public bool IsTradeManaged { get; set; }
}
