using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary>
/// <c>POST /cgi-bin/externalcontact/add_contact_way</c>: a 「联系我」 code (https://developer.work.weixin.qq.com/document/path/92228).
/// <c>type</c> 1 is one member (then <c>user</c> holds exactly one), 2 several; <c>scene</c> 2 is a QR code (only then
/// is <c>qr_code</c> returned); <c>state</c> (≤30 characters) comes back in the add event. At most 100 members per way.
/// </summary>
public sealed class ExternalContactAddContactWayRequest
{
    public const string Path = "cgi-bin/externalcontact/add_contact_way";

    [JsonPropertyName("type")]
    public int Type { get; init; }

    [JsonPropertyName("scene")]
    public int Scene { get; init; } = 2;

    [JsonPropertyName("remark")]
    public string? Remark { get; init; }

    [JsonPropertyName("skip_verify")]
    public bool SkipVerify { get; init; } = true;

    [JsonPropertyName("state")]
    public required string State { get; init; }

    [JsonPropertyName("user")]
    public required IReadOnlyList<string> User { get; init; }
}

public sealed class ExternalContactAddContactWayResponse : WeChatResponse
{
    [JsonPropertyName("config_id")]
    public string? ConfigId { get; set; }

    [JsonPropertyName("qr_code")]
    public string? QrCode { get; set; }
}
