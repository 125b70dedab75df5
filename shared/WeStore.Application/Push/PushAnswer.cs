namespace WeStore.Application.Push;

/// <summary>How a push endpoint answers: WeChat needs a 200 with <c>success</c> (or the echostr); anything else is a refusal it may retry.</summary>
public sealed record PushAnswer(int Status, string Body, string ContentType = "text/plain")
{
    public static readonly PushAnswer Success = new(200, "success");

    public static PushAnswer Refused(int status, string reason) => new(status, reason, "application/problem+json");
}

/// <summary>The query a push arrives with: <c>signature</c>, <c>timestamp</c>, <c>nonce</c>, and in safe mode <c>encrypt_type=aes</c> and <c>msg_signature</c>.</summary>
public sealed record PushQuery(string? Signature, string? Timestamp, string? Nonce, string? MsgSignature, string? EncryptType, string? EchoStr = null);
