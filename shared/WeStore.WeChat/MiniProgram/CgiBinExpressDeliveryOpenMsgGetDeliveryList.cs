using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary>
/// <c>POST /cgi-bin/express/delivery/open_msg/get_delivery_list</c> with <c>{}</c>: the carriers WeChat knows, whose
/// <c>delivery_id</c> (YTO, ZTO, SF, ...) is the <c>express_company</c> of a shipping upload
/// (https://developers.weixin.qq.com/miniprogram/dev/server/API/weixin-express/express-msg/api_get_delivery_list.html).
/// </summary>
public sealed class CgiBinExpressDeliveryOpenMsgGetDeliveryListRequest
{
    public const string Path = "cgi-bin/express/delivery/open_msg/get_delivery_list";
}

public sealed class CgiBinExpressDeliveryOpenMsgGetDeliveryListResponse : WeChatResponse
{
    [JsonPropertyName("delivery_list")]
    public List<DeliveryCompany> DeliveryList { get; set; } = [];

    [JsonPropertyName("count")]
    public int Count { get; set; }
}

public sealed class DeliveryCompany
{
    [JsonPropertyName("delivery_id")]
    public string? DeliveryId { get; set; }

    [JsonPropertyName("delivery_name")]
    public string? DeliveryName { get; set; }
}
