using System.Security.Cryptography;

namespace WeStore.WeChat.Pay;

public enum SignatureCheck
{
    Valid,
    MissingHeaders,
    UnknownSerial,
    StaleTimestamp,
    BadSignature,
}

/// <summary>
/// Verifies WeChat Pay's signatures on responses and notifications over <c>timestamp\nnonce\nbody\n</c>, choosing
/// the key by <c>Wechatpay-Serial</c>: the WeChat Pay public key id, or a platform certificate serial. Both modes can
/// be configured at once (the 2024-2025 migration). Probe signatures (<c>WECHATPAY/SIGNTEST/</c>) and anything that
/// is not Base64 simply fail; nothing here throws on hostile input.
/// </summary>
public sealed class PlatformVerifier(IReadOnlyDictionary<string, RSA> keysBySerial, TimeProvider time)
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromSeconds(300);

    public IEnumerable<string> Serials => keysBySerial.Keys;

    /// <summary>
    /// A sensitive request field (a bank account, a real name) encrypted for WeChat Pay with the key named by
    /// <paramref name="serial"/>: RSA-OAEP with SHA-1, Base64; the request then names that key in Wechatpay-Serial
    /// (https://pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay4_3.shtml).
    /// </summary>
    public string EncryptSensitive(string serial, string plaintext)
        => keysBySerial.TryGetValue(PemKeys.NormalizeSerial(serial), out var key)
            ? Convert.ToBase64String(key.Encrypt(System.Text.Encoding.UTF8.GetBytes(plaintext), RSAEncryptionPadding.OaepSHA1))
            : throw new InvalidOperationException("No WeChat Pay key has that serial.");

    public SignatureCheck Verify(string? serial, string? timestamp, string? nonce, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(serial) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature))
        {
            return SignatureCheck.MissingHeaders;
        }

        if (!keysBySerial.TryGetValue(PemKeys.NormalizeSerial(serial), out var key))
        {
            return SignatureCheck.UnknownSerial;
        }

        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) > MaxSkew.TotalSeconds)
        {
            return SignatureCheck.StaleTimestamp;
        }

        if (signature.StartsWith(WeChatPaySignatures.ProbePrefix, StringComparison.Ordinal) || signature.Length > 1024)
        {
            return SignatureCheck.BadSignature;
        }

        Span<byte> decoded = stackalloc byte[768];
        if (!Convert.TryFromBase64String(signature, decoded, out var length))
        {
            return SignatureCheck.BadSignature;
        }

        var message = WeChatPaySignatures.ResponseMessage(timestamp, nonce, body);
        return key.VerifyData(message, decoded[..length], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? SignatureCheck.Valid
            : SignatureCheck.BadSignature;
    }
}

/// <summary>AEAD_AES_256_GCM decryption of notification and certificate resources with the APIv3 key.</summary>
public static class ResourceDecryptor
{
    private const int TagSize = 16;

    /// <summary>Returns the plaintext, or null when the key, nonce, associated data or ciphertext do not authenticate.</summary>
    public static string? TryDecrypt(byte[] apiV3Key, string nonce, string? associatedData, string ciphertextBase64)
    {
        try
        {
            var nonceBytes = System.Text.Encoding.UTF8.GetBytes(nonce);
            var input = Convert.FromBase64String(ciphertextBase64);
            if (nonceBytes.Length != 12 || input.Length < TagSize || apiV3Key.Length is not (16 or 24 or 32)) return null;
            var plain = new byte[input.Length - TagSize];
            using var aes = new AesGcm(apiV3Key, TagSize);
            aes.Decrypt(nonceBytes, input.AsSpan(0, plain.Length), input.AsSpan(plain.Length), plain,
                System.Text.Encoding.UTF8.GetBytes(associatedData ?? string.Empty));
            return System.Text.Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The sandbox's side: encrypts a resource the way WeChat Pay does.</summary>
    public static string Encrypt(byte[] apiV3Key, string nonce, string associatedData, string plaintext)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[plain.Length + TagSize];
        using var aes = new AesGcm(apiV3Key, TagSize);
        aes.Encrypt(System.Text.Encoding.UTF8.GetBytes(nonce), plain, output.AsSpan(0, plain.Length), output.AsSpan(plain.Length),
            System.Text.Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }
}
