namespace WeStore.WeChat.WeCom;

/// <summary>
/// The corp and its self-built customer-contact app (<c>WeCom:*</c> settings). Corps created since 2023-12 must call the
/// customer-contact APIs with a self-built app's secret listed under 「客户联系 可调用接口的应用」, not the system app's
/// (https://developer.work.weixin.qq.com/document/path/96316).
/// </summary>
public sealed class WeComOptions
{
    public const string Section = "WeCom";

    public string CorpId { get; set; } = string.Empty;

    public string ContactSecret { get; set; } = string.Empty;

    public string ApiBaseUrl { get; set; } = "https://qyapi.weixin.qq.com";

    /// <summary>The callback's Token and 43-character EncodingAESKey, as saved with the callback URL.</summary>
    public string CallbackToken { get; set; } = string.Empty;

    public string CallbackEncodingAesKey { get; set; } = string.Empty;

    public double TimeoutSeconds { get; set; } = 5;

    public int MaxRetries { get; set; } = 2;

    /// <summary>The corp tag group the store's channel tags live in; created once, on the first add.</summary>
    public string ChannelTagGroup { get; set; } = "WeStore 渠道";

    /// <summary>A JPG or PNG (520×416) for the welcome's Mini Program card; empty: a plain generated card.</summary>
    public string WelcomeCardImagePath { get; set; } = string.Empty;

    public bool Configured => CorpId.Length > 0 && ContactSecret.Length > 0;

    /// <summary>The token store's key for this app's token.</summary>
    public string TokenApp => $"wecom-{CorpId}-contact";

    public override string ToString() => $"WeComOptions(CorpId={CorpId}, ApiBaseUrl={ApiBaseUrl})";
}

/// <summary>WeCom's error codes this app acts on (https://developer.work.weixin.qq.com/document/path/90313).</summary>
public static class WeComErrorCodes
{
    public const int Busy = -1;
    public const int InvalidSecret = 40001;
    public const int InvalidCorpId = 40013;
    public const int InvalidAccessToken = 40014;
    public const int MissingAccessToken = 41001;
    public const int AccessTokenExpired = 42001;
    public const int InvalidParameter = 40058;
    public const int InvalidExternalUserId = 40096;

    /// <summary>The caller's IP is not in the app's 「企业可信IP」 (apps created from 2022-06-20).</summary>
    public const int UntrustedIp = 60020;

    /// <summary>send_welcome_msg: the customer already chatted, or the welcome was delivered: done, never retried.</summary>
    public const int WelcomeAlreadySent = 41051;

    /// <summary>send_welcome_msg: another app is sending this code's welcome; that send may fail, so a retry is allowed.</summary>
    public const int WelcomeBeingDistributed = 41096;

    public const int MissingContactWayType = 41037;

    public static bool IsAccessTokenInvalid(int code) => code is InvalidAccessToken or AccessTokenExpired or MissingAccessToken;
}
