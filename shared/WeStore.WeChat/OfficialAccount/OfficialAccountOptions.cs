namespace WeStore.WeChat.OfficialAccount;

/// <summary>The brand's Official Account, a service account (<c>OfficialAccount:*</c> settings).</summary>
public sealed class OfficialAccountOptions
{
    public const string Section = "OfficialAccount";

    public string AppId { get; set; } = string.Empty;

    public string AppSecret { get; set; } = string.Empty;

    /// <summary>The server config's Token and 43-character EncodingAESKey (safe mode).</summary>
    public string Token { get; set; } = string.Empty;

    public string EncodingAesKey { get; set; } = string.Empty;

    public string ApiBaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>Where a follow code's image is fetched by its ticket (<c>/cgi-bin/showqrcode?ticket=</c>).</summary>
    public string QrImageBaseUrl { get; set; } = "https://mp.weixin.qq.com";

    /// <summary>WeChat allows 100,000 permanent codes per account; the store refuses past this.</summary>
    public int MaxPermanentCodes { get; set; } = 100_000;

    /// <summary>The template message for the shipped notice (service accounts); empty: followers get the subscription message instead.</summary>
    public string? ShippedTemplateId { get; set; }

    public double TimeoutSeconds { get; set; } = 5;

    public int MaxRetries { get; set; } = 2;

    public bool Configured => AppId.Length > 0 && AppSecret.Length > 0;

    public override string ToString() => $"OfficialAccountOptions(AppId={AppId}, ApiBaseUrl={ApiBaseUrl})";
}
