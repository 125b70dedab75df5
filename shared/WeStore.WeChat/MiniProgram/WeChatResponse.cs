using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary>The error fields every api.weixin.qq.com JSON answer may carry; a missing errcode means 0.</summary>
public abstract class WeChatResponse
{
    [JsonPropertyName("errcode")]
    public int ErrorCode { get; set; }

    [JsonPropertyName("errmsg")]
    public string? ErrorMessage { get; set; }
}
