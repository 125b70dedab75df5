using System.Globalization;
using Microsoft.Extensions.Logging;
using WeStore.Application.Telemetry;
using WeStore.Domain.Messaging;
using WeStore.Domain.Push;
using WeStore.WeChat.Push;

namespace WeStore.Application.Push;

/// <summary>
/// One push endpoint's settings: its name (for logs and metrics), its crypto (null when not configured: every push is
/// refused), the queue its events wait in, what a success answer says, and whether the URL check's echostr arrives
/// encrypted (WeCom) or as it is (the Mini Program and the Official Account).
/// </summary>
public sealed record PushSource(string Name, WxBizMsgCrypt? Crypt, string Queue, string SuccessBody, bool EncryptedEcho);

/// <summary>
/// The three push endpoints' shared handling (the Mini Program message push, the Official Account push, the WeCom
/// callback): verify, decrypt, enqueue, answer at once. Safe mode only: a plaintext push is refused. A push whose
/// timestamp is more than five minutes off is a replay and refused; WeChat's own retries come within seconds, and
/// their duplicates are the consumers' to ignore. Nothing is written for a refused push.
/// </summary>
public sealed class PushReceiver(IMessageSender messages, TimeProvider time, ILogger<PushReceiver> logger)
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>The URL check the console makes when the push URL is saved: the echostr back, verbatim (or decrypted for WeCom).</summary>
    public PushAnswer VerifyUrl(PushSource source, PushQuery query)
    {
        if (source.Crypt is not { } crypt) return PushAnswer.Refused(503, "The push is not configured.");
        if (query.Timestamp is null || query.Nonce is null || query.EchoStr is null) return PushAnswer.Refused(400, "signature, timestamp, nonce and echostr are required.");
        if (source.EncryptedEcho)
        {
            if (!crypt.Verify(query.MsgSignature, query.Timestamp, query.Nonce, query.EchoStr)) return Refuse(source, 401, "bad signature");
            var echo = crypt.Decrypt(query.EchoStr);
            return echo.Ok ? new PushAnswer(200, echo.Message!) : Refuse(source, echo.Failure == PushCryptoFailure.WrongReceiver ? 403 : 400, echo.Failure.ToString());
        }

        return crypt.Verify(query.Signature, query.Timestamp, query.Nonce) ? new PushAnswer(200, query.EchoStr) : Refuse(source, 401, "bad signature");
    }

    public async Task<PushAnswer> ReceiveAsync(PushSource source, PushQuery query, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (source.Crypt is not { } crypt) return PushAnswer.Refused(503, "The push is not configured.");
        if (query.MsgSignature is null || (query.EncryptType is not null && query.EncryptType != "aes"))
        {
            return Refuse(source, 400, "only safe-mode (encrypted) pushes are taken");
        }

        if (!long.TryParse(query.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) > MaxSkew.TotalSeconds)
        {
            return Refuse(source, 401, "the timestamp is missing or stale (a replay)");
        }

        var envelope = PushDocument.Parse(body.Span);
        var encrypted = envelope is null ? null : PushDocument.Text(envelope, "Encrypt");
        if (encrypted is null) return Refuse(source, 400, "the body is not an envelope with Encrypt");

        // In safe mode the plain signature over (token, timestamp, nonce) comes too; when it does, it must hold as well.
        if (query.Signature is not null && !crypt.Verify(query.Signature, query.Timestamp!, query.Nonce ?? string.Empty)) return Refuse(source, 401, "bad signature");
        var decrypted = crypt.VerifyAndDecrypt(query.MsgSignature, query.Timestamp, query.Nonce, encrypted);
        switch (decrypted.Failure)
        {
            case PushCryptoFailure.BadSignature:
                return Refuse(source, 401, "bad msg_signature");
            case PushCryptoFailure.WrongReceiver:
                return Refuse(source, 403, "the message is for another app");
            case PushCryptoFailure.Undecryptable:
                return Refuse(source, 400, "the message does not decrypt");
        }

        var document = PushDocument.Parse(decrypted.Message!);
        if (document is null || PushDocument.Text(document, "MsgType") is null) return Refuse(source, 400, "the message is not an event document");

        await messages.SendAsync(source.Queue, new PushEventMessage(document.ToJsonString(), time.GetUtcNow(), CopyId: Guid.NewGuid().ToString("N")), cancellationToken: cancellationToken);
        WeStoreTelemetry.PushEvents.Add(1, new KeyValuePair<string, object?>("source", source.Name), new KeyValuePair<string, object?>("outcome", "accepted"));
        return new PushAnswer(200, source.SuccessBody);
    }

    private PushAnswer Refuse(PushSource source, int status, string reason)
    {
        logger.LogWarning("A {Source} push was refused ({Status}): {Reason}", source.Name, status, reason);
        WeStoreTelemetry.PushEvents.Add(1, new KeyValuePair<string, object?>("source", source.Name), new KeyValuePair<string, object?>("outcome", "refused"));
        return PushAnswer.Refused(status, reason);
    }
}
