namespace WeStore.Sandbox;

public sealed class SandboxOptions
{
    public const string DefaultUrl = "http://127.0.0.1:7072";

    public string Url { get; set; } = DefaultUrl;

    /// <summary>The Mini Program the sandbox accepts (must match the store's WeChat:AppId / AppSecret).</summary>
    public string AppId { get; set; } = "wx0000000000000000";

    public string AppSecret { get; set; } = string.Empty;

    /// <summary>Where generated keys and state live; the sandbox's openids are derived from a secret kept here.</summary>
    public string DataDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "westore-sandbox");

    /// <summary>How long a code starting with <c>slow</c> makes the sandbox wait, to exercise client timeouts.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);

    public int AccessTokenLifetimeSeconds { get; set; } = 7200;

    /// <summary>The store's Mini Program message push URL (<c>/api/wechat/push</c>); empty pushes nothing.</summary>
    public string PushUrl { get; set; } = string.Empty;

    /// <summary>The push's Token and 43-character EncodingAESKey, the same as the store's WeChat:PushToken / PushEncodingAesKey.</summary>
    public string PushToken { get; set; } = string.Empty;

    public string PushEncodingAesKey { get; set; } = string.Empty;

    /// <summary>json or xml, as chosen in the MP console's 消息推送配置.</summary>
    public string PushFormat { get; set; } = "json";

    /// <summary>For this long after payment upload_shipping_info answers 10060001, as WeChat does before it has ingested the payment (0: never).</summary>
    public TimeSpan ShippingNotIngestedWindow { get; set; } = TimeSpan.Zero;

    /// <summary>What is_trade_managed answers: whether WeChat's order shipping management applies to the Mini Program.</summary>
    public bool TradeManaged { get; set; } = true;

    /// <summary>The merchant id the sandbox's WeChat Pay accepts.</summary>
    public string MchId { get; set; } = "1900000001";

    /// <summary>The WeCom corp the sandbox's qyapi accepts, and its self-built app's secret (the store's WeCom:CorpId / ContactSecret).</summary>
    public string WeComCorpId { get; set; } = "ww0000000000000000";

    public string WeComSecret { get; set; } = string.Empty;

    /// <summary>The store's WeCom callback URL (<c>/api/wecom/callback</c>), with its Token and EncodingAESKey; empty pushes nothing.</summary>
    public string WeComCallbackUrl { get; set; } = string.Empty;

    public string WeComCallbackToken { get; set; } = string.Empty;

    public string WeComCallbackAesKey { get; set; } = string.Empty;

    /// <summary>The app's 「企业可信IP」, comma-separated; when set, a call from any other address gets 60020.</summary>
    public string WeComTrustedIps { get; set; } = string.Empty;

    /// <summary>WeCom's per-customer mass-message cap as the corp set it: month (days in the month), week (7) or day (1).</summary>
    public string WeComCustomerCap { get; set; } = "month";

    /// <summary>Staff confirm every mass-send task at once (a test or demo that does not play the staff member).</summary>
    public bool WeComAutoConfirm { get; set; }

    /// <summary>The Official Account the sandbox accepts (the store's OfficialAccount:AppId / AppSecret), and where it pushes.</summary>
    public string OfficialAccountAppId { get; set; } = "wx00000000000000oa";

    public string OfficialAccountSecret { get; set; } = string.Empty;

    public string OfficialAccountPushUrl { get; set; } = string.Empty;

    public string OfficialAccountToken { get; set; } = string.Empty;

    public string OfficialAccountAesKey { get; set; } = string.Empty;
}
