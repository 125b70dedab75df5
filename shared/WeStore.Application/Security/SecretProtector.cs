using System.Security.Cryptography;
using System.Text;

namespace WeStore.Application.Security;

/// <summary>
/// Encrypts small secrets at rest (session_key, phone numbers) with AES-256-GCM. The output names its key, so keys
/// rotate; the associated data binds a ciphertext to its owner, so a value copied to another member won't decrypt.
/// Format: <c>v1.{keyId}.{nonce}.{ciphertext+tag}</c>, base64url parts.
/// </summary>
public sealed class SecretProtector(KeyRing keys)
{
    // AES-256 needs exactly 32 bytes; longer configured secrets are hashed down to that.
    private static byte[] AesKey(byte[] key) => key.Length == 32 ? key : SHA256.HashData(key);

    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Protect(string plaintext, string owner)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var output = new byte[data.Length + TagSize];
        using (var aes = new AesGcm(AesKey(keys.ActiveKey), TagSize))
        {
            aes.Encrypt(nonce, data, output.AsSpan(0, data.Length), output.AsSpan(data.Length), Encoding.UTF8.GetBytes(owner));
        }

        return $"v1.{keys.ActiveKeyId}.{Base64Url(nonce)}.{Base64Url(output)}";
    }

    public string? Unprotect(string protectedValue, string owner)
    {
        var parts = protectedValue.Split('.');
        if (parts.Length != 4 || parts[0] != "v1" || !keys.TryGet(parts[1], out var key)) return null;
        try
        {
            var nonce = FromBase64Url(parts[2]);
            var input = FromBase64Url(parts[3]);
            if (nonce.Length != NonceSize || input.Length < TagSize) return null;
            var plain = new byte[input.Length - TagSize];
            using var aes = new AesGcm(AesKey(key), TagSize);
            aes.Decrypt(nonce, input.AsSpan(0, plain.Length), input.AsSpan(plain.Length), plain, Encoding.UTF8.GetBytes(owner));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
