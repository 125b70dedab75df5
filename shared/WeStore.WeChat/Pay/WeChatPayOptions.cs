namespace WeStore.WeChat.Pay;

/// <summary>The merchant and WeChat Pay's keys (<c>WeChatPay:*</c> settings). Secrets come from Key Vault or files.</summary>
public sealed class WeChatPayOptions
{
    public const string Section = "WeChatPay";

    public string MchId { get; set; } = string.Empty;

    public string MerchantSerialNo { get; set; } = string.Empty;

    /// <summary>PEM text (PKCS#8) or a path to it.</summary>
    public string MerchantPrivateKey { get; set; } = string.Empty;

    /// <summary>The 32-character APIv3 key.</summary>
    public string ApiV3Key { get; set; } = string.Empty;

    public string PlatformPublicKeyId { get; set; } = string.Empty;

    /// <summary>PEM text or a path.</summary>
    public string PlatformPublicKey { get; set; } = string.Empty;

    /// <summary>Certificate mode: serial → PEM text or path. May be set together with the public key.</summary>
    public Dictionary<string, string> PlatformCertificates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string BaseUrl { get; set; } = "https://api.mch.weixin.qq.com";

    public string NotifyUrl { get; set; } = string.Empty;

    public string RefundNotifyUrl { get; set; } = string.Empty;

    public double TimeoutSeconds { get; set; } = 10;

    public int MaxRetries { get; set; } = 2;

    public override string ToString() => $"WeChatPayOptions(MchId={MchId}, BaseUrl={BaseUrl})";
}
