using Microsoft.Azure.Functions.Worker;
using WeStore.WeChat;

namespace WeStore.Functions.Auth;

/// <summary>
/// Keeps the central access token fresh: on <c>WeChat__TokenRefreshSchedule</c> (default every 5 minutes), a token expiring within 15 minutes is renewed, so
/// request paths almost never fetch one themselves.
/// </summary>
public sealed class RefreshAccessTokenFunction(IAccessTokenProvider tokens)
{
    [Function(nameof(RefreshAccessTokenFunction))]
    public Task Run([TimerTrigger("%WeChat__TokenRefreshSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
        => tokens.RefreshIfExpiringAsync(TimeSpan.FromMinutes(15), cancellationToken);
}
