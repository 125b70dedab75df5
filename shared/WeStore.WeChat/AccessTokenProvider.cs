using Microsoft.Extensions.Logging;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat;

/// <summary>Where the central access token is kept, with a lease so that one instance at a time fetches it.</summary>
public interface IAccessTokenStore
{
    Task<AccessTokenRecord> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Takes the fetch lease if <paramref name="current"/> is still what is stored and no live lease exists.</summary>
    Task<AccessTokenRecord?> TryLeaseAsync(AccessTokenRecord current, string holder, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Stores a fetched token and releases the lease held by <paramref name="leased"/>.</summary>
    Task SaveAsync(AccessTokenRecord leased, string token, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>The stored state: the token (if any), its expiry, and the fetch lease. Version is the storage ETag.</summary>
public sealed record AccessTokenRecord(string? Token, DateTimeOffset ExpiresAt, string? LeaseHolder, DateTimeOffset LeaseUntil, string? Version)
{
    public static AccessTokenRecord Empty { get; } = new(null, DateTimeOffset.MinValue, null, DateTimeOffset.MinValue, null);
}

/// <summary>
/// The central access token (https://developers.weixin.qq.com/doc/oplatform/developers/dev/AccessToken.html): fetched with stable_token by one instance at a time (a lease
/// in the store), kept with its expiry, and cached in each instance for about a minute. Callers in one instance
/// share one fetch; other instances wait for the stored result instead of fetching their own.
/// </summary>
public sealed class AccessTokenProvider(
    WeChatAuthClient auth, IAccessTokenStore store, TimeProvider time, ILogger<AccessTokenProvider> logger) : IAccessTokenProvider
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
            var record = await store.ReadAsync(cancellationToken);
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
            var record = await store.ReadAsync(cancellationToken);
            if (record.Token is not null && record.Token != rejected && record.ExpiresAt - margin > now)
            {
                return Remember(record.Token, record.ExpiresAt);
            }

            if (record.LeaseUntil <= now && await store.TryLeaseAsync(record, _holder, now + LeaseLength, cancellationToken) is { } leased)
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
                throw new WeChatUnavailableException("cgi-bin/stable_token", "another instance holds the access-token lease and has not stored a token");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private async Task<string> FetchAsync(AccessTokenRecord leased, string? rejected, CancellationToken cancellationToken)
    {
        var response = await auth.GetStableTokenAsync(forceRefresh: false, cancellationToken);
        if (rejected is not null && response.AccessToken == rejected)
        {
            // Normal mode handed back the token WeChat just refused: only a forced refresh replaces it.
            logger.LogWarning("The stored access token was refused and stable_token returned it again; forcing a refresh");
            response = await auth.GetStableTokenAsync(forceRefresh: true, cancellationToken);
        }

        if (string.IsNullOrEmpty(response.AccessToken) || response.ExpiresIn <= 0)
        {
            throw new WeChatUnavailableException("cgi-bin/stable_token", "the answer held no access token");
        }

        var expiresAt = time.GetUtcNow().AddSeconds(response.ExpiresIn);
        await store.SaveAsync(leased, response.AccessToken, expiresAt, cancellationToken);
        logger.LogInformation("Fetched a new access token, valid for {ExpiresIn} s", response.ExpiresIn);
        return Remember(response.AccessToken, expiresAt);
    }

    private string Remember(string token, DateTimeOffset expiresAt)
    {
        _cached = (token, expiresAt, time.GetUtcNow());
        return token;
    }
}
