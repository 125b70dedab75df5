using System.Security.Cryptography;
using System.Text;

namespace WeStore.WeChat.Pay;

/// <summary>The exact strings WeChat Pay v3 signs (https://pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-generation.html, .../signature-verification.html), each line ending in LF.</summary>
public static class WeChatPaySignatures
{
    public const string AuthorizationScheme = "WECHATPAY2-SHA256-RSA2048";
    public const string ProbePrefix = "WECHATPAY/SIGNTEST/";

    /// <summary><c>METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n</c>; the body is empty for GET.</summary>
    public static string RequestMessage(string method, string pathAndQuery, long timestamp, string nonce, string body)
        => $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{body}\n";

    /// <summary><c>TIMESTAMP\nNONCE\nBODY\n</c> over the raw body bytes of a response or notification.</summary>
    public static byte[] ResponseMessage(string timestamp, string nonce, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n");
        var message = new byte[head.Length + body.Length + 1];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'\n';
        return message;
    }

    /// <summary><c>appId\ntimeStamp\nnonceStr\npackage\n</c> for <c>wx.requestPayment</c>'s paySign.</summary>
    public static string PaySignMessage(string appId, string timeStamp, string nonceStr, string package)
        => $"{appId}\n{timeStamp}\n{nonceStr}\n{package}\n";

    /// <summary>A 32-character alphanumeric nonce, as the official SDKs use.</summary>
    public static string NewNonce()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, 32);
    }
}

/// <summary>SHA256withRSA (PKCS#1 v1.5) with the merchant API private key.</summary>
public sealed class MerchantSigner(RSA privateKey, string mchId, string serialNo) : IDisposable
{
    public string MchId { get; } = mchId;

    public string SerialNo { get; } = serialNo;

    public string Sign(string message)
        => Convert.ToBase64String(privateKey.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>The <c>Authorization</c> header value for one request.</summary>
    public string Authorization(string method, string pathAndQuery, long timestamp, string nonce, string body)
    {
        var signature = Sign(WeChatPaySignatures.RequestMessage(method, pathAndQuery, timestamp, nonce, body));
        return $"{WeChatPaySignatures.AuthorizationScheme} mchid=\"{MchId}\",nonce_str=\"{nonce}\",timestamp=\"{timestamp}\",serial_no=\"{SerialNo}\",signature=\"{signature}\"";
    }

    public void Dispose() => privateKey.Dispose();
}
