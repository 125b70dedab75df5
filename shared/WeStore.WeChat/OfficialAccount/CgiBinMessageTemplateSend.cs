using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.OfficialAccount;

/// <summary>
/// <c>POST /cgi-bin/message/template/send</c>: a service notice to a follower
/// (https://developers.weixin.qq.com/doc/service/api/notify/template/api_sendtemplatemessage). <c>client_msg_id</c>
/// makes a repeat within 10 minutes a no-op; with a <c>miniprogram</c> it opens the Mini Program (linked to the
/// account). Service notices only, never marketing.
/// </summary>
public sealed class CgiBinMessageTemplateSendRequest
{
    public const string Path = "cgi-bin/message/template/send";

    [JsonPropertyName("touser")]
    public required string ToUser { get; init; }

    [JsonPropertyName("template_id")]
    public required string TemplateId { get; init; }

    [JsonPropertyName("miniprogram")]
    public TemplateMiniProgram? MiniProgram { get; init; }

    [JsonPropertyName("client_msg_id")]
    public required string ClientMsgId { get; init; }

    [JsonPropertyName("data")]
    public required IReadOnlyDictionary<string, TemplateValue> Data { get; init; }

    public override string ToString() => $"CgiBinMessageTemplateSendRequest(template_id={TemplateId}, client_msg_id={ClientMsgId})";
}

public sealed record TemplateMiniProgram([property: JsonPropertyName("appid")] string AppId, [property: JsonPropertyName("pagepath")] string PagePath);

public sealed record TemplateValue([property: JsonPropertyName("value")] string Value);

public sealed class CgiBinMessageTemplateSendResponse : WeChatResponse
{
    [JsonPropertyName("msgid")]
    public long MsgId { get; set; }
}
