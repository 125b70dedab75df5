namespace WeStore.WeChat;

/// <summary>The central access token for server-side WeChat APIs.</summary>
public interface IAccessTokenProvider
{
    Task<string> GetAsync(CancellationToken cancellationToken);

    /// <summary>WeChat refused <paramref name="rejected"/>: get a newer one (once), forcing a refresh only if no one else has.</summary>
    Task<string> RefreshAsync(string rejected, CancellationToken cancellationToken);

    /// <summary>The timer's job: refresh the stored token when it is close to expiry.</summary>
    Task RefreshIfExpiringAsync(TimeSpan within, CancellationToken cancellationToken);
}
