using System.Text.Encodings.Web;

namespace WeStore.WeChat;

/// <summary>
/// Calls that carry a central access token: when the platform says the token is invalid or expired, the token is
/// refreshed once and the call retried, because another instance (or the platform) may have replaced it.
/// </summary>
public static class TokenRetry
{
    public static async Task<T> RunAsync<T>(IAccessTokenProvider tokens, Func<int, bool> isTokenInvalid, Func<string, Task<T>> call, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        try
        {
            return await call(token);
        }
        catch (WeChatApiException e) when (isTokenInvalid(e.ErrorCode))
        {
            var fresh = await tokens.RefreshAsync(token, cancellationToken);
            return await call(fresh);
        }
    }

    /// <summary>The path with the token as its query (a path that already has a query gets it appended).</summary>
    public static string WithToken(string path, string token)
        => $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}access_token={UrlEncoder.Default.Encode(token)}";
}
