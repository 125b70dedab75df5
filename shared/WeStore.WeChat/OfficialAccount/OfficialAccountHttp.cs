using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.OfficialAccount;

/// <summary>The Official Account's calls to api.weixin.qq.com: the same transport as the Mini Program's, its own credentials.</summary>
public sealed class OfficialAccountHttp(HttpClient http, IOptions<OfficialAccountOptions> options, TimeProvider time, ILogger<OfficialAccountHttp> logger)
    : WeChatTransport(http, options.Value.MaxRetries, time, logger)
{
    public OfficialAccountOptions Options => options.Value;
}

/// <summary>The Official Account's own central token: <c>cgi-bin/stable_token</c> with its appid and secret (a forced refresh allowed).</summary>
public sealed class OfficialAccountTokenIssuer(OfficialAccountHttp http) : ITokenIssuer
{
    public string App => "oa-" + http.Options.AppId;

    public string Endpoint => "cgi-bin/stable_token";

    public async Task<IssuedToken> IssueAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var response = await http.PostJsonAsync<CgiBinStableTokenRequest, CgiBinStableTokenResponse>(Endpoint, Endpoint,
            new CgiBinStableTokenRequest { AppId = http.Options.AppId, Secret = http.Options.AppSecret, ForceRefresh = forceRefresh }, cancellationToken);
        return new IssuedToken(response.AccessToken, response.ExpiresIn);
    }
}
