using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WeStore.WeChat.Push;

/// <summary>Why a pushed message was refused.</summary>
public enum PushCryptoFailure
{
    None,

    /// <summary>The signature is missing or does not match: not from WeChat, or altered.</summary>
    BadSignature,

    /// <summary>The ciphertext is not Base64, not whole AES blocks, or does not decrypt to the expected layout.</summary>
    Undecryptable,

    /// <summary>It decrypted, but for another app or corp (the trailing receive id).</summary>
    WrongReceiver,
}

public sealed record DecryptedPush(PushCryptoFailure Failure, string? Message)
{
    public bool Ok => Failure == PushCryptoFailure.None;
}

/// <summary>
/// WeChat's message encryption for pushes (WXBizMsgCrypt), one implementation for the Mini Program message push, the
/// Official Account push and the WeCom callback; only the receive id differs (the appid, or the corp id)
/// (https://developers.weixin.qq.com/doc/oplatform/developers/dev/push/encryption.html,
/// https://developer.work.weixin.qq.com/document/path/91144):
/// <list type="bullet">
/// <item><c>signature = hex(SHA1(concat(sort(parts))))</c>, sorted by byte (ordinal: a culture-aware sort puts
/// "abcToken" before "Bxyz"), compared in constant time;</item>
/// <item>AES-256-CBC with <c>key = Base64(EncodingAESKey + "=")</c> and <c>IV = key[0..16)</c>;</item>
/// <item>plaintext <c>random(16) ‖ msg_len(4, big-endian, UTF-8 bytes) ‖ msg ‖ receive id</c>, PKCS#7-padded to a
/// multiple of <b>32</b> bytes, so the pad is removed by hand (.NET's PKCS7 mode refuses pads over 16).</item>
/// </list>
/// </summary>
public sealed class WxBizMsgCrypt
{
    private const int BlockSize = 32;
    private readonly byte[] _key;
    private readonly string _token;
    private readonly string _receiveId;

    public WxBizMsgCrypt(string token, string encodingAesKey, string receiveId)
    {
        if (string.IsNullOrEmpty(token)) throw new ArgumentException("The push token is not set.", nameof(token));
        if (encodingAesKey is not { Length: 43 }) throw new ArgumentException("An EncodingAESKey is 43 characters.", nameof(encodingAesKey));
        _key = Convert.FromBase64String(encodingAesKey + "=");
        if (_key.Length != 32) throw new ArgumentException("The EncodingAESKey does not decode to 32 bytes.", nameof(encodingAesKey));
        _token = token;
        _receiveId = receiveId;
    }

    public string ReceiveId => _receiveId;

    /// <summary>The signature over the token and the given parts (timestamp, nonce, and the ciphertext or echostr).</summary>
    public string Sign(params string[] parts) => Signature([_token, .. parts]);

    /// <summary>SHA1 of the ordinally sorted parts, concatenated, as lower-case hex.</summary>
    public static string Signature(params string[] parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted)))).ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="signature"/> is ours over the token and the parts, compared in constant time.</summary>
    public bool Verify(string? signature, params string[] parts)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length != 40 || parts.Any(p => p is null)) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(parts));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Checks the signature over (timestamp, nonce, ciphertext), then decrypts.</summary>
    public DecryptedPush VerifyAndDecrypt(string? signature, string? timestamp, string? nonce, string? encrypted)
    {
        if (timestamp is null || nonce is null || encrypted is null || !Verify(signature, timestamp, nonce, encrypted))
        {
            return new DecryptedPush(PushCryptoFailure.BadSignature, null);
        }

        return Decrypt(encrypted);
    }

    public DecryptedPush Decrypt(string encrypted)
    {
        byte[] cipher;
        try
        {
            cipher = Convert.FromBase64String(encrypted);
        }
        catch (FormatException)
        {
            return new DecryptedPush(PushCryptoFailure.Undecryptable, null);
        }

        if (cipher.Length == 0 || cipher.Length % 16 != 0) return new DecryptedPush(PushCryptoFailure.Undecryptable, null);
        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = _key;
            plain = aes.DecryptCbc(cipher, _key.AsSpan(0, 16), PaddingMode.None);
        }

        var pad = plain[^1];
        if (pad is < 1 or > BlockSize || pad > plain.Length || plain.AsSpan(plain.Length - pad).IndexOfAnyExcept(pad) >= 0)
        {
            return new DecryptedPush(PushCryptoFailure.Undecryptable, null);
        }

        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < 20) return new DecryptedPush(PushCryptoFailure.Undecryptable, null);
        var length = BinaryPrimitives.ReadInt32BigEndian(content.Slice(16, 4));
        if (length < 0 || length > content.Length - 20) return new DecryptedPush(PushCryptoFailure.Undecryptable, null);

        string message, receiveId;
        try
        {
            var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            message = strict.GetString(content.Slice(20, length));
            receiveId = strict.GetString(content[(20 + length)..]);
        }
        catch (DecoderFallbackException)
        {
            return new DecryptedPush(PushCryptoFailure.Undecryptable, null);
        }

        return receiveId == _receiveId ? new DecryptedPush(PushCryptoFailure.None, message) : new DecryptedPush(PushCryptoFailure.WrongReceiver, null);
    }

    /// <summary>Encrypts a message as WeChat does (the sandbox pushes with this; a reply could too).</summary>
    public string Encrypt(string message, ReadOnlySpan<byte> random = default)
    {
        var body = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(_receiveId);
        var length = 20 + body.Length + id.Length;
        var pad = BlockSize - (length % BlockSize);
        var plain = new byte[length + pad];
        if (random.Length == 16) random.CopyTo(plain);
        else RandomNumberGenerator.Fill(plain.AsSpan(0, 16));
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16, 4), body.Length);
        body.CopyTo(plain, 20);
        id.CopyTo(plain, 20 + body.Length);
        plain.AsSpan(length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _key.AsSpan(0, 16), PaddingMode.None));
    }
}
