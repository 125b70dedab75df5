using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary>
/// <c>POST /cgi-bin/externalcontact/list_contact_way</c> <c>{start_time, end_time, cursor, limit}</c>: the config ids of
/// ways created in a window (limit ≤1000); how a way whose config id was not recorded is found again by its state
/// (https://developer.work.weixin.qq.com/document/path/92228).
/// </summary>
public sealed class ExternalContactListContactWayRequest
{
    public const string Path = "cgi-bin/externalcontact/list_contact_way";

    [JsonPropertyName("start_time")]
    public long StartTime { get; init; }

    [JsonPropertyName("end_time")]
    public long EndTime { get; init; }

    [JsonPropertyName("cursor")]
    public string? Cursor { get; init; }

    [JsonPropertyName("limit")]
    public int Limit { get; init; } = 100;
}

public sealed class ExternalContactListContactWayResponse : WeChatResponse
{
    [JsonPropertyName("contact_way")]
    public List<ContactWayInfo>? ContactWay { get; set; }

    [JsonPropertyName("next_cursor")]
    public string? NextCursor { get; set; }
}
