using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WeStore.WeChat.Pay;

/// <summary>The merchant signer, the platform verifier and the APIv3 key, loaded once from settings.</summary>
public sealed class WeChatPayKeys
{
    private readonly Lazy<MerchantSigner> _signer;
    private readonly Lazy<PlatformVerifier> _verifier;
    private readonly Lazy<byte[]> _apiV3Key;

    public WeChatPayKeys(IOptions<WeChatPayOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _signer = new(() => new MerchantSigner(PemKeys.LoadPrivateKey(Required(o.MerchantPrivateKey, "MerchantPrivateKey")),
            Required(o.MchId, "MchId"), Required(o.MerchantSerialNo, "MerchantSerialNo")));
        _verifier = new(() => new PlatformVerifier(LoadPlatformKeys(o), time));
        _apiV3Key = new(() =>
        {
            var key = Encoding.UTF8.GetBytes(Required(o.ApiV3Key, "ApiV3Key"));
            return key.Length == 32 ? key : throw new InvalidOperationException("WeChatPay:ApiV3Key must be exactly 32 characters.");
        });
    }

    public MerchantSigner Signer => _signer.Value;

    public PlatformVerifier Verifier => _verifier.Value;

    public byte[] ApiV3Key => _apiV3Key.Value;

    private static Dictionary<string, RSA> LoadPlatformKeys(WeChatPayOptions o)
    {
        var keys = new Dictionary<string, RSA>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(o.PlatformPublicKeyId))
        {
            keys[PemKeys.NormalizeSerial(o.PlatformPublicKeyId)] = PemKeys.LoadPublicKey(Required(o.PlatformPublicKey, "PlatformPublicKey"));
        }

        foreach (var (serial, pem) in o.PlatformCertificates)
        {
            keys[PemKeys.NormalizeSerial(serial)] = PemKeys.LoadPublicKey(pem);
        }

        return keys.Count > 0
            ? keys
            : throw new InvalidOperationException("Set WeChatPay:PlatformPublicKeyId and PlatformPublicKey, or WeChatPay:PlatformCertificates.");
    }

    private static string Required(string value, string name)
        => string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"WeChatPay:{name} is not set.") : value;
}
