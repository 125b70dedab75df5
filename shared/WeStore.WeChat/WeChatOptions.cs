namespace WeStore.WeChat;

/// <summary>The Mini Program's identity and where its API lives (<c>WeChat:*</c> settings).</summary>
public sealed class WeChatOptions
{
    public const string Section = "WeChat";

    public string AppId { get; set; } = string.Empty;

    public string AppSecret { get; set; } = string.Empty;

    public string ApiBaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>Per-attempt timeout for one WeChat call.</summary>
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>Attempts after the first, for transient failures only (-1, 5xx, timeouts).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Which version subscription messages open: <c>developer</c>, <c>trial</c> or <c>formal</c> (null: formal).</summary>
    public string? MiniProgramState { get; set; }

    /// <summary>The Mini Program's message push: the token and 43-character EncodingAESKey set in the console (safe mode).</summary>
    public string PushToken { get; set; } = string.Empty;

    public string PushEncodingAesKey { get; set; } = string.Empty;

    public override string ToString() => $"WeChatOptions(AppId={AppId}, ApiBaseUrl={ApiBaseUrl})";
}
