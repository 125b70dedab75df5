using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.OfficialAccount;

/// <summary>
/// <c>POST /cgi-bin/qrcode/create</c>: a parametric follow code
/// (https://developers.weixin.qq.com/doc/service/Account_Management/Generating_a_Parametric_QR_Code.html).
/// <c>QR_STR_SCENE</c> is temporary (<c>expire_seconds</c> ≤ 2,592,000; 60 s when left out), <c>QR_LIMIT_STR_SCENE</c>
/// permanent (100,000 per account); <c>scene_str</c> holds 1–64 characters. The image is <c>showqrcode?ticket=</c>.
/// </summary>
public sealed class CgiBinQrcodeCreateRequest
{
    public const string Path = "cgi-bin/qrcode/create";
    public const int MaxExpireSeconds = 2_592_000;
    public const int MaxSceneLength = 64;

    [JsonPropertyName("expire_seconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ExpireSeconds { get; init; }

    [JsonPropertyName("action_name")]
    public required string ActionName { get; init; }

    [JsonPropertyName("action_info")]
    public required QrActionInfo ActionInfo { get; init; }

    public static CgiBinQrcodeCreateRequest For(string sceneStr, bool permanent, int? expireSeconds) => new()
    {
        ActionName = permanent ? "QR_LIMIT_STR_SCENE" : "QR_STR_SCENE",
        ExpireSeconds = permanent ? null : expireSeconds,
        ActionInfo = new QrActionInfo { Scene = new QrScene { SceneStr = sceneStr } },
    };
}

public sealed class QrActionInfo
{
    [JsonPropertyName("scene")]
    public required QrScene Scene { get; init; }
}

public sealed class QrScene
{
    [JsonPropertyName("scene_str")]
    public required string SceneStr { get; init; }
}

public sealed class CgiBinQrcodeCreateResponse : WeChatResponse
{
    [JsonPropertyName("ticket")]
    public string? Ticket { get; set; }

    [JsonPropertyName("expire_seconds")]
    public int? ExpireSeconds { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }
}
