using System.Collections.Concurrent;

namespace WeStore.Sandbox;

/// <summary>What the sandbox's Official Account holds: its token, follow codes by ticket, followers, template messages sent.</summary>
public sealed class OfficialAccountState
{
    public StableTokenState Tokens { get; } = new("sbxoa_");

    public ConcurrentDictionary<string, SandboxFollowCode> Codes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, SandboxFollower> Followers { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<SandboxTemplateMessage> Messages { get; } = new();

    /// <summary>client_msg_id → msgid: a repeat within 10 minutes is not sent again.</summary>
    public ConcurrentDictionary<(string OpenId, string ClientMsgId), (long MsgId, DateTimeOffset At)> Sent { get; } = new();

    private long _msgId = 2_000_000_000;

    public long NextMsgId() => Interlocked.Increment(ref _msgId);

    private int _permanent;

    /// <summary>Takes one of the account's 100,000 permanent codes.</summary>
    public bool TryTakePermanent()
    {
        if (Interlocked.Increment(ref _permanent) <= 100_000) return true;
        Interlocked.Decrement(ref _permanent);
        return false;
    }
}

public sealed record SandboxFollowCode(string Ticket, string SceneStr, bool Permanent, DateTimeOffset? ExpiresAt, string Url);

public sealed class SandboxFollower(string openId, string? unionId)
{
    public string OpenId { get; } = openId;

    public string? UnionId { get; } = unionId;

    public bool Following { get; set; }

    public DateTimeOffset SubscribedAt { get; set; }

    public string? SceneStr { get; set; }
}

public sealed record SandboxTemplateMessage(string ToUser, string TemplateId, string? AppId, string? PagePath, string ClientMsgId, string Data, DateTimeOffset At);
