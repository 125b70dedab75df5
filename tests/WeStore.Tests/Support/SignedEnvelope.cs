using System.Globalization;
using WeStore.WeChat.Push;

namespace WeStore.Tests.Support;

/// <summary>
/// One push as its sender signs it (WXBizMsgCrypt: the message encrypted, msg_signature over token, timestamp, nonce and
/// the ciphertext; signature over the first three), for the Mini Program, WeCom and Official Account helpers alike.
/// <paramref name="tamper"/> spoils the ciphertext after signing; <paramref name="msgSignature"/> replaces the signature.
/// </summary>
public sealed record SignedEnvelope(string Timestamp, string Nonce, string Encrypted, string MsgSignature, string Signature)
{
    public static SignedEnvelope Seal(WxBizMsgCrypt crypt, string message, long? timestamp = null, Func<string, string>? tamper = null, string? msgSignature = null)
    {
        var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        var nonce = Random.Shared.Next(100_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var encrypted = crypt.Encrypt(message);
        var signature = msgSignature ?? crypt.Sign(ts, nonce, encrypted);
        return new SignedEnvelope(ts, nonce, tamper is null ? encrypted : tamper(encrypted), signature, crypt.Sign(ts, nonce));
    }
}
