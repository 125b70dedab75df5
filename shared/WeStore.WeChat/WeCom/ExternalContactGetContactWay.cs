using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary><c>POST /cgi-bin/externalcontact/get_contact_way</c> <c>{config_id}</c> (https://developer.work.weixin.qq.com/document/path/92228).</summary>
public sealed record ExternalContactGetContactWayRequest([property: JsonPropertyName("config_id")] string ConfigId)
{
    public const string Path = "cgi-bin/externalcontact/get_contact_way";
}

public sealed class ExternalContactGetContactWayResponse : WeChatResponse
{
    [JsonPropertyName("contact_way")]
    public ContactWayInfo? ContactWay { get; set; }
}

public sealed class ContactWayInfo
{
    [JsonPropertyName("config_id")]
    public string? ConfigId { get; set; }

    [JsonPropertyName("type")]
    public int Type { get; set; }

    [JsonPropertyName("scene")]
    public int Scene { get; set; }

    [JsonPropertyName("state")]
    public string? State { get; set; }

    [JsonPropertyName("qr_code")]
    public string? QrCode { get; set; }

    [JsonPropertyName("user")]
    public List<string>? User { get; set; }
}
