using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary>
/// <c>POST /cgi-bin/message/subscribe/send</c>: one subscription message, spending one of the member's one-time
/// grants. <c>data</c> is an object of <c>{"key":{"value":"..."}}</c>, not a string (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html).
/// </summary>
public sealed class CgiBinMessageSubscribeSendRequest
{
    public const string Path = "cgi-bin/message/subscribe/send";

    [JsonPropertyName("touser")]
    public required string ToUser { get; init; }

    [JsonPropertyName("template_id")]
    public required string TemplateId { get; init; }

    [JsonPropertyName("page")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Page { get; init; }

    [JsonPropertyName("data")]
    public required IReadOnlyDictionary<string, SubscribeValue> Data { get; init; }

    /// <summary><c>developer</c>, <c>trial</c> or <c>formal</c>.</summary>
    [JsonPropertyName("miniprogram_state")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MiniProgramState { get; init; }

    [JsonPropertyName("lang")]
    public string Lang { get; init; } = "zh_CN";
}

public sealed record SubscribeValue([property: JsonPropertyName("value")] string Value);

public sealed class CgiBinMessageSubscribeSendResponse : WeChatResponse;
