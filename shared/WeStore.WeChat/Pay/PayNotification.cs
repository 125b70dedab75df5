using System.Text.Json;
using System.Text.Json.Serialization;

namespace WeStore.WeChat.Pay;

/// <summary>The envelope WeChat Pay posts to notify_url (https://pay.weixin.qq.com/docs/merchant/products/notification/introduction.html).</summary>
public sealed class PayNotification
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("create_time")] public string? CreateTime { get; set; }
    [JsonPropertyName("event_type")] public string? EventType { get; set; }
    [JsonPropertyName("resource_type")] public string? ResourceType { get; set; }
    [JsonPropertyName("summary")] public string? Summary { get; set; }
    [JsonPropertyName("resource")] public PayNotificationResource? Resource { get; set; }
}

public sealed class PayNotificationResource
{
    [JsonPropertyName("algorithm")] public string? Algorithm { get; set; }
    [JsonPropertyName("ciphertext")] public string? Ciphertext { get; set; }
    [JsonPropertyName("associated_data")] public string? AssociatedData { get; set; }
    [JsonPropertyName("nonce")] public string? Nonce { get; set; }
    [JsonPropertyName("original_type")] public string? OriginalType { get; set; }
}

/// <summary>The decrypted resource of a REFUND.* notification.</summary>
public sealed class RefundNotificationResource
{
    [JsonPropertyName("mchid")] public string? MchId { get; set; }
    [JsonPropertyName("out_trade_no")] public string? OutTradeNo { get; set; }
    [JsonPropertyName("transaction_id")] public string? TransactionId { get; set; }
    [JsonPropertyName("out_refund_no")] public string? OutRefundNo { get; set; }
    [JsonPropertyName("refund_id")] public string? RefundId { get; set; }
    [JsonPropertyName("refund_status")] public string? RefundStatus { get; set; }
    [JsonPropertyName("success_time")] public DateTimeOffset? SuccessTime { get; set; }
    [JsonPropertyName("amount")] public RefundAmount? Amount { get; set; }
}

public enum NotificationFailure
{
    None,
    Unauthenticated,
    Undecryptable,
    Malformed,
}

/// <summary>A verified, decrypted notification, or why it was refused (status 401 or 400 FAIL).</summary>
public sealed record VerifiedNotification(NotificationFailure Failure, string Reason, PayNotification? Envelope, string? Plaintext)
{
    public T? Resource<T>() where T : class
    {
        try
        {
            return Plaintext is null ? null : JsonSerializer.Deserialize<T>(Plaintext, NotificationReader.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Verifies a notification on its raw body bytes (never a re-serialized copy), then decrypts its resource with the
/// APIv3 key. Headers are looked up case-insensitively by the caller.
/// </summary>
public sealed class NotificationReader(WeChatPayKeys keys)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public VerifiedNotification Read(string? serial, string? timestamp, string? nonce, string? signature, ReadOnlySpan<byte> body)
    {
        var check = keys.Verifier.Verify(serial, timestamp, nonce, signature, body);
        if (check != SignatureCheck.Valid)
        {
            return new VerifiedNotification(NotificationFailure.Unauthenticated, check.ToString(), null, null);
        }

        PayNotification? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<PayNotification>(body, Json);
        }
        catch (JsonException)
        {
            return new VerifiedNotification(NotificationFailure.Malformed, "the body is not JSON", null, null);
        }

        var resource = envelope?.Resource;
        if (resource is null || resource.Algorithm != "AEAD_AES_256_GCM" || resource.Nonce is null || resource.Ciphertext is null)
        {
            return new VerifiedNotification(NotificationFailure.Malformed, "no AEAD_AES_256_GCM resource", envelope, null);
        }

        var plaintext = ResourceDecryptor.TryDecrypt(keys.ApiV3Key, resource.Nonce, resource.AssociatedData, resource.Ciphertext);
        return plaintext is null
            ? new VerifiedNotification(NotificationFailure.Undecryptable, "the resource did not decrypt", envelope, null)
            : new VerifiedNotification(NotificationFailure.None, "ok", envelope, plaintext);
    }
}
