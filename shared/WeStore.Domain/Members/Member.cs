namespace WeStore.Domain.Members;

/// <summary>
/// A shopper known by their openid. The first touch (first seen) is kept; the last one moves. The session_key and
/// phone number are held only in protected (encrypted) form.
/// </summary>
public sealed class Member
{
    private Member(string openId)
    {
        OpenId = openId;
    }

    public string OpenId { get; }

    public string? UnionId { get; private set; }

    public DateTimeOffset FirstSeenAt { get; private set; }

    public DateTimeOffset LastSeenAt { get; private set; }

    public string? ProtectedSessionKey { get; private set; }

    public string? ProtectedPhoneNumber { get; private set; }

    public string? MaskedPhoneNumber { get; private set; }

    public static Member FirstLogin(string openId, string? unionId, string protectedSessionKey, DateTimeOffset now)
    {
        OpenIdRules.EnsureValid(openId);
        return new Member(openId)
        {
            UnionId = unionId,
            FirstSeenAt = now,
            LastSeenAt = now,
            ProtectedSessionKey = protectedSessionKey,
        };
    }

    public static Member Restore(
        string openId, string? unionId, DateTimeOffset firstSeenAt, DateTimeOffset lastSeenAt,
        string? protectedSessionKey, string? protectedPhoneNumber, string? maskedPhoneNumber)
        => new(openId)
        {
            UnionId = unionId,
            FirstSeenAt = firstSeenAt,
            LastSeenAt = lastSeenAt,
            ProtectedSessionKey = protectedSessionKey,
            ProtectedPhoneNumber = protectedPhoneNumber,
            MaskedPhoneNumber = maskedPhoneNumber,
        };

    public void BindPhone(string protectedPhoneNumber, string maskedPhoneNumber, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(protectedPhoneNumber);
        ProtectedPhoneNumber = protectedPhoneNumber;
        MaskedPhoneNumber = maskedPhoneNumber;
        if (now > LastSeenAt) LastSeenAt = now;
    }
}

public static class OpenIdRules
{
    public const int MaxLength = 64;

    /// <summary>An openid becomes a partition key: it must be short and free of the characters keys refuse.</summary>
    public static bool IsValid(string? openId)
        => !string.IsNullOrEmpty(openId) && openId.Length <= MaxLength && openId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static void EnsureValid(string openId)
    {
        if (!IsValid(openId)) throw new ArgumentException("The openid is not a valid WeChat openid.", nameof(openId));
    }
}

public static class PhoneMask
{
    /// <summary>13812345678 becomes 138****5678; short or foreign numbers keep only their last four digits.</summary>
    public static string Mask(string phone)
    {
        if (phone.Length >= 11) return phone[..3] + "****" + phone[^4..];
        return phone.Length > 4 ? new string('*', phone.Length - 4) + phone[^4..] : new string('*', phone.Length);
    }
}
