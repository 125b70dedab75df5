using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary><c>GET /sns/jscode2session</c>: a <c>wx.login</c> code for the shopper's openid and session_key.</summary>
public sealed record SnsJsCode2SessionRequest(string JsCode);

public sealed class SnsJsCode2SessionResponse : WeChatResponse
{
    [JsonPropertyName("openid")]
    public string? OpenId { get; set; }

    /// <summary>Never leaves the server and is never logged.</summary>
    [JsonPropertyName("session_key")]
    public string? SessionKey { get; set; }

    [JsonPropertyName("unionid")]
    public string? UnionId { get; set; }

    public override string ToString() => $"SnsJsCode2SessionResponse(errcode={ErrorCode}, openid={OpenId is not null}, unionid={UnionId is not null})";
}
