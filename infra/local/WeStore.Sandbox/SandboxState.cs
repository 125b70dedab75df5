using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace WeStore.Sandbox;

/// <summary>What the sandbox has issued and been asked, readable by tests and by <c>GET /sandbox/stats</c>.</summary>
public sealed class SandboxState
{
    private readonly byte[] _identitySecret;
    private readonly StableTokenState _tokens = new("sbx_");
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _sessionKeys = new();

    public SandboxState(SandboxOptions options)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var secretPath = Path.Combine(options.DataDirectory, "identity.secret");
        if (!File.Exists(secretPath))
        {
            File.WriteAllBytes(secretPath, RandomNumberGenerator.GetBytes(32));
        }

        _identitySecret = File.ReadAllBytes(secretPath);
    }

    public IReadOnlyDictionary<string, int> Calls => _calls;

    /// <summary>Every session_key handed out, so tests can prove none leaks.</summary>
    public IReadOnlyCollection<string> IssuedSessionKeys => _sessionKeys;

    public int Count(string endpoint) => _calls.GetValueOrDefault(endpoint);

    private readonly ConcurrentDictionary<(string OpenId, string TemplateId), int> _subscriptions = new();
    private readonly ConcurrentQueue<SubscribeMessage> _subscribeMessages = new();

    /// <summary>Subscription messages accepted, in order.</summary>
    public IReadOnlyCollection<SubscribeMessage> SubscribeMessages => _subscribeMessages;

    /// <summary>One accepted wx.requestSubscribeMessage: one send allowed.</summary>
    public void GrantSubscription(string openId, string templateId) => _subscriptions.AddOrUpdate((openId, templateId), 1, (_, n) => n + 1);

    public bool TryUseSubscription(string openId, string templateId)
    {
        while (_subscriptions.TryGetValue((openId, templateId), out var n) && n > 0)
        {
            if (_subscriptions.TryUpdate((openId, templateId), n - 1, n)) return true;
        }

        return false;
    }

    public void RecordSubscribeMessage(string openId, string templateId, string data) => _subscribeMessages.Enqueue(new SubscribeMessage(openId, templateId, data));

    public void Record(string endpoint) => _calls.AddOrUpdate(endpoint, 1, (_, n) => n + 1);

    /// <summary>A stable id for a shopper: codes "alice", "alice.1" and "alice.2" are the same shopper.</summary>
    public string Derive(string prefix, string appId, string code)
    {
        var stem = code.Split('.')[0];
        var hash = HMACSHA256.HashData(_identitySecret, Encoding.UTF8.GetBytes($"{prefix}:{appId}:{stem}"));
        return prefix + Convert.ToBase64String(hash).Replace('+', '-').Replace('/', '_')[..27];
    }

    public string NewSessionKey()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        _sessionKeys.Enqueue(key);
        return key;
    }

    /// <summary>stable_token semantics: the same token while it is valid, a new one on force_refresh (the old dies).</summary>
    public (string Token, int ExpiresIn) GetStableToken(bool forceRefresh, DateTimeOffset now, int lifetimeSeconds) => _tokens.GetStableToken(forceRefresh, now, lifetimeSeconds);

    /// <summary>0 when valid, else the errcode WeChat would answer (40001 unknown, 42001 expired).</summary>
    public int CheckAccessToken(string? token, DateTimeOffset now) => _tokens.Check(token, now);

    /// <summary>Tests use this to play "another instance force-refreshed the token".</summary>
    public void InvalidateAccessToken() => _tokens.Invalidate();

    public string? CurrentAccessToken => _tokens.Current;
}

/// <summary>One app's stable_token: the same token while it is valid, a new one on force_refresh (the old dies).</summary>
public sealed class StableTokenState(string prefix)
{
    private readonly object _lock = new();
    private string? _token;
    private DateTimeOffset _expiresAt;

    public string? Current
    {
        get { lock (_lock) return _token; }
    }

    public (string Token, int ExpiresIn) GetStableToken(bool forceRefresh, DateTimeOffset now, int lifetimeSeconds)
    {
        lock (_lock)
        {
            if (forceRefresh || _token is null || _expiresAt <= now)
            {
                _token = prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
                _expiresAt = now.AddSeconds(lifetimeSeconds);
            }

            return (_token, (int)Math.Ceiling((_expiresAt - now).TotalSeconds));
        }
    }

    /// <summary>0 when valid, else the errcode WeChat would answer (40001 unknown, 42001 expired).</summary>
    public int Check(string? token, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (token is null || token != _token) return 40001;
            return _expiresAt <= now ? 42001 : 0;
        }
    }

    public void Invalidate()
    {
        lock (_lock) _token = prefix + "replaced_" + Guid.NewGuid().ToString("N");
    }
}

public sealed record SubscribeMessage(string OpenId, string TemplateId, string Data);
