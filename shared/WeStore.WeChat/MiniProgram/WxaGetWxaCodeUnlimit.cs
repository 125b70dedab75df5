using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary>
/// <c>POST /wxa/getwxacodeunlimit</c>: a Mini Program code with no count limit. The body must be JSON. The scene is at
/// most 32 visible characters; the page has no leading '/' and no query string (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html).
/// </summary>
public sealed class WxaGetWxaCodeUnlimitRequest
{
    public const string Path = "wxa/getwxacodeunlimit";

    [JsonPropertyName("scene")]
    public required string Scene { get; init; }

    [JsonPropertyName("page")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Page { get; init; }

    /// <summary>False allows pages not yet in the released version (up to WeChat's cap).</summary>
    [JsonPropertyName("check_path")]
    public bool CheckPath { get; init; } = true;

    /// <summary><c>release</c>, <c>trial</c> or <c>develop</c>.</summary>
    [JsonPropertyName("env_version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EnvVersion { get; init; }

    [JsonPropertyName("width")]
    public int Width { get; init; } = 430;
}

/// <summary>On success WeChat answers with the image itself, not JSON; failures come back as errcode/errmsg.</summary>
public sealed record WxaGetWxaCodeUnlimitResponse(byte[] Image, string ContentType);
