using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace WeStore.Sandbox;

/// <summary>What the sandbox's WeCom holds: the app's token, contact-me codes, customers, welcome codes, media, corp tags.</summary>
public sealed class WeComState
{
    /// <summary>Where the sandbox answers (learnt from the requests it serves): contact-me QR images are served from here, so they show offline.</summary>
    public string PublicBase { get; set; } = "http://127.0.0.1";

    private readonly object _tokenLock = new();
    private string? _token;
    private DateTimeOffset _tokenExpiresAt;

    public ConcurrentDictionary<string, SandboxContactWay> Ways { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, SandboxCustomer> Customers { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, SandboxWelcomeCode> WelcomeCodes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, ConcurrentQueue<SandboxWelcome>> Welcomes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, DateTimeOffset> Media { get; } = new(StringComparer.Ordinal);

    /// <summary>Corp tag groups by name: the group id and tag name → id.</summary>
    public ConcurrentDictionary<string, (string GroupId, ConcurrentDictionary<string, string> Tags)> TagGroups { get; } = new(StringComparer.Ordinal);

    /// <summary>Tags on follow relations, keyed by (userid, external_userid).</summary>
    public ConcurrentDictionary<(string UserId, string ExternalUserId), ConcurrentDictionary<string, bool>> RelationTags { get; } = new();

    /// <summary>Follow relations: (userid, external_userid) → still friends.</summary>
    public ConcurrentDictionary<(string UserId, string ExternalUserId), bool> Relations { get; } = new();

    /// <summary>Mass-send tasks by msgid.</summary>
    public ConcurrentDictionary<string, SandboxGroupMessage> GroupMessages { get; } = new(StringComparer.Ordinal);

    /// <summary>Mass messages each customer received, per cap period.</summary>
    public ConcurrentDictionary<(string ExternalUserId, string Period), int> Received { get; } = new();

    /// <summary>Errcodes to answer next, per endpoint (tests play 41096 and friends).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<int>> Faults { get; } = new(StringComparer.Ordinal);

    public int NextFault(string endpoint) => Faults.TryGetValue(endpoint, out var q) && q.TryDequeue(out var code) ? code : 0;

    /// <summary>gettoken semantics: the same token while it is valid.</summary>
    public (string Token, int ExpiresIn) GetToken(DateTimeOffset now, int lifetimeSeconds)
    {
        lock (_tokenLock)
        {
            if (_token is null || _tokenExpiresAt <= now)
            {
                _token = "sbxwc_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
                _tokenExpiresAt = now.AddSeconds(lifetimeSeconds);
            }

            return (_token, (int)Math.Ceiling((_tokenExpiresAt - now).TotalSeconds));
        }
    }

    /// <summary>0 when valid, else WeCom's errcode: 41001 missing, 40014 invalid, 42001 expired.</summary>
    public int CheckToken(string? token, DateTimeOffset now)
    {
        lock (_tokenLock)
        {
            if (string.IsNullOrEmpty(token)) return 41001;
            if (token != _token) return 40014;
            return _tokenExpiresAt <= now ? 42001 : 0;
        }
    }

    public void InvalidateToken()
    {
        lock (_tokenLock) _token = "sbxwc_replaced_" + Guid.NewGuid().ToString("N");
    }
}

public sealed record SandboxContactWay(string ConfigId, int Type, int Scene, string State, IReadOnlyList<string> Users, bool SkipVerify, string? QrCode, DateTimeOffset CreatedAt);

public sealed record SandboxCustomer(string ExternalUserId, string? UnionId, int Type);

public sealed class SandboxWelcomeCode(string code, string externalUserId, string userId, DateTimeOffset issuedAt)
{
    public string Code { get; } = code;

    public string ExternalUserId { get; } = externalUserId;

    public string UserId { get; } = userId;

    public DateTimeOffset IssuedAt { get; } = issuedAt;

    private int _used;

    public bool TryUse() => Interlocked.Exchange(ref _used, 1) == 0;
}

public sealed record SandboxWelcome(string UserId, string Text, string? MiniProgramTitle, string? MiniProgramPage, string? PicMediaId, DateTimeOffset SentAt, double SecondsAfterAdd);

/// <summary>An add_msg_template task: its sender must confirm it; on confirming, each customer gets it or a status saying why not.</summary>
public sealed class SandboxGroupMessage(string msgId, string sender, IReadOnlyList<string> externalUserIds, string text, int attachments, DateTimeOffset createdAt)
{
    public string MsgId { get; } = msgId;

    public string Sender { get; } = sender;

    public IReadOnlyList<string> ExternalUserIds { get; } = externalUserIds;

    public string Text { get; } = text;

    public int Attachments { get; } = attachments;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>external_userid → 0 unsent, 1 sent, 2 not a friend, 3 already received (over the cap).</summary>
    public ConcurrentDictionary<string, int> Results { get; } = new(StringComparer.Ordinal);
}
