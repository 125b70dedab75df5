using Microsoft.Extensions.Logging;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat;

/// <summary>Where the central access token is kept, with a lease so that one instance at a time fetches it.</summary>
/// <remarks><paramref name="app"/> names whose token it is (the Mini Program's appid, a WeCom corp's app): each has its own.</remarks>
public interface IAccessTokenStore
{
    Task<AccessTokenRecord> ReadAsync(string app, CancellationToken cancellationToken);

    /// <summary>Takes the fetch lease if <paramref name="current"/> is still what is stored and no live lease exists.</summary>
    Task<AccessTokenRecord?> TryLeaseAsync(string app, AccessTokenRecord current, string holder, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Stores a fetched token and releases the lease held by <paramref name="leased"/>.</summary>
    Task SaveAsync(string app, AccessTokenRecord leased, string token, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>A token as the platform issued it.</summary>
public sealed record IssuedToken(string? AccessToken, int ExpiresIn);

/// <summary>Where one app's tokens come from: the Mini Program's stable_token, WeCom's gettoken.</summary>
public interface ITokenIssuer
{
    /// <summary>The store key of this app's token.</summary>
    string App { get; }

    /// <summary>The endpoint's name, for errors.</summary>
    string Endpoint { get; }

    /// <summary>A token; <paramref name="forceRefresh"/> asks for a new one where the platform allows it.</summary>
    Task<IssuedToken> IssueAsync(bool forceRefresh, CancellationToken cancellationToken);
}

/// <summary>The Mini Program's token: <c>cgi-bin/stable_token</c>, which can be forced to refresh.</summary>
public sealed class MiniProgramTokenIssuer(WeChatAuthClient auth) : ITokenIssuer
{
    public string App => auth.AppId is { Length: > 0 } appId ? appId : "default";

    public string Endpoint => "cgi-bin/stable_token";

    public async Task<IssuedToken> IssueAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var response = await auth.GetStableTokenAsync(forceRefresh, cancellationToken);
        return new IssuedToken(response.AccessToken, response.ExpiresIn);
    }
}

/// <summary>The stored state: the token (if any), its expiry, and the fetch lease. Version is the storage ETag.</summary>
public sealed record AccessTokenRecord(string? Token, DateTimeOffset ExpiresAt, string? LeaseHolder, DateTimeOffset LeaseUntil, string? Version)
{
    public static AccessTokenRecord Empty { get; } = new(null, DateTimeOffset.MinValue, null, DateTimeOffset.MinValue, null);
}

/// <summary>
/// A central access token (https://developers.weixin.qq.com/doc/oplatform/developers/dev/AccessToken.html,
/// https://developer.work.weixin.qq.com/document/path/91039): fetched by one instance at a time (a lease in the
/// store), kept with its expiry, and cached in each instance for about a minute. Callers in one instance share one
/// fetch; other instances wait for the stored result instead of fetching their own. One per app: the Mini Program's
/// and the WeCom app's tokens are two of these over the same store.
/// </summary>
public sealed class AccessTokenProvider(
    ITokenIssuer issuer, IAccessTokenStore store, TimeProvider time, ILogger<AccessTokenProvider> logger) : IAccessTokenProvider
{
    private static readonly TimeSpan InstanceCache = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan UsableMargin = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LeaseLength = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WaitForOthers = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _holder = Guid.NewGuid().ToString("N");
    private (string Token, DateTimeOffset ExpiresAt, DateTimeOffset CachedAt)? _cached;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (FromCache() is { } cached) return cached;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return FromCache() ?? await LoadOrFetchAsync(rejected: null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<string> RefreshAsync(string rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } c && c.Token != rejected && FromCache() is { } newer) return newer;
            _cached = null;
            return await LoadOrFetchAsync(rejected, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RefreshIfExpiringAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var record = await store.ReadAsync(issuer.App, cancellationToken);
            if (record.Token is not null && record.ExpiresAt - within > time.GetUtcNow())
            {
                return;
            }

            _cached = null;
            await LoadOrFetchAsync(rejected: null, cancellationToken, refreshBefore: within);
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? FromCache()
    {
        var now = time.GetUtcNow();
        return _cached is { } c && now - c.CachedAt < InstanceCache && c.ExpiresAt - UsableMargin > now ? c.Token : null;
    }

    private async Task<string> LoadOrFetchAsync(string? rejected, CancellationToken cancellationToken, TimeSpan? refreshBefore = null)
    {
        var deadline = time.GetUtcNow() + WaitForOthers;
        var margin = refreshBefore ?? UsableMargin;
        while (true)
        {
            var now = time.GetUtcNow();
            var record = await store.ReadAsync(issuer.App, cancellationToken);
            if (record.Token is not null && record.Token != rejected && record.ExpiresAt - margin > now)
            {
                return Remember(record.Token, record.ExpiresAt);
            }

            if (record.LeaseUntil <= now && await store.TryLeaseAsync(issuer.App, record, _holder, now + LeaseLength, cancellationToken) is { } leased)
            {
                return await FetchAsync(leased, rejected, cancellationToken);
            }

            if (refreshBefore is not null && record.Token is not null && record.ExpiresAt - UsableMargin > now)
            {
                // The timer found another instance refreshing; the stored token is still good.
                return Remember(record.Token, record.ExpiresAt);
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new WeChatUnavailableException(issuer.Endpoint, "another instance holds the access-token lease and has not stored a token");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private async Task<string> FetchAsync(AccessTokenRecord leased, string? rejected, CancellationToken cancellationToken)
    {
        var response = await issuer.IssueAsync(forceRefresh: false, cancellationToken);
        if (rejected is not null && response.AccessToken == rejected)
        {
            // Normal mode handed back the token the platform just refused: only a forced refresh replaces it.
            logger.LogWarning("The stored access token was refused and {Endpoint} returned it again; forcing a refresh", issuer.Endpoint);
            response = await issuer.IssueAsync(forceRefresh: true, cancellationToken);
        }

        if (string.IsNullOrEmpty(response.AccessToken) || response.ExpiresIn <= 0)
        {
            throw new WeChatUnavailableException(issuer.Endpoint, "the answer held no access token");
        }

        var expiresAt = time.GetUtcNow().AddSeconds(response.ExpiresIn);
        await store.SaveAsync(issuer.App, leased, response.AccessToken, expiresAt, cancellationToken);
        logger.LogInformation("Fetched a new access token from {Endpoint}, valid for {ExpiresIn} s", issuer.Endpoint, response.ExpiresIn);
        return Remember(response.AccessToken, expiresAt);
    }

    private string Remember(string token, DateTimeOffset expiresAt)
    {
        _cached = (token, expiresAt, time.GetUtcNow());
        return token;
    }
}
