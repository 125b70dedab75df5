using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary>
/// <c>POST /cgi-bin/externalcontact/send_welcome_msg</c>: the welcome for a new contact, within 20 s of the add event
/// and once only (https://developer.work.weixin.qq.com/document/path/92137). Text ≤4000 bytes, at most 9 attachments;
/// a Mini Program card needs a <c>pic_media_id</c> (520×416) and the Mini Program's appid, associated with the corp.
/// </summary>
public sealed class ExternalContactSendWelcomeMsgRequest
{
    public const string Path = "cgi-bin/externalcontact/send_welcome_msg";

    [JsonPropertyName("welcome_code")]
    public required string WelcomeCode { get; init; }

    [JsonPropertyName("text")]
    public WelcomeText? Text { get; init; }

    [JsonPropertyName("attachments")]
    public IReadOnlyList<WelcomeAttachment>? Attachments { get; init; }

    public override string ToString() => $"ExternalContactSendWelcomeMsgRequest(attachments={Attachments?.Count ?? 0})";
}

public sealed record WelcomeText([property: JsonPropertyName("content")] string Content);

public sealed class WelcomeAttachment
{
    [JsonPropertyName("msgtype")]
    public string MsgType { get; init; } = "miniprogram";

    [JsonPropertyName("miniprogram")]
    public WelcomeMiniProgram? MiniProgram { get; init; }
}

public sealed class WelcomeMiniProgram
{
    [JsonPropertyName("title")]
    public required string Title { get; init; }

    [JsonPropertyName("pic_media_id")]
    public required string PicMediaId { get; init; }

    [JsonPropertyName("appid")]
    public required string AppId { get; init; }

    [JsonPropertyName("page")]
    public required string Page { get; init; }
}

public sealed class ExternalContactSendWelcomeMsgResponse : WeChatResponse;
