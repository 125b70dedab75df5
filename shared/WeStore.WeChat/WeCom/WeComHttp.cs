using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary>The transport under every qyapi.weixin.qq.com call: the same errcode/errmsg envelope and -1 handling as api.weixin.qq.com.</summary>
public sealed class WeComHttp(HttpClient http, IOptions<WeComOptions> options, TimeProvider time, ILogger<WeComHttp> logger)
    : WeChatTransport(http, options.Value.MaxRetries, time, logger)
{
    public WeComOptions Options => options.Value;
}

/// <summary>The WeCom app's token: <c>cgi-bin/gettoken</c>, which has no forced refresh (a valid token is handed back as it is).</summary>
public sealed class WeComTokenIssuer(WeComHttp http) : ITokenIssuer
{
    public string App => http.Options.TokenApp;

    public string Endpoint => CgiBinGetTokenRequest.Path;

    public async Task<IssuedToken> IssueAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var o = http.Options;
        var response = await http.GetAsync<CgiBinGetTokenResponse>(Endpoint, new CgiBinGetTokenRequest(o.CorpId, o.ContactSecret).PathAndQuery, cancellationToken);
        return new IssuedToken(response.AccessToken, response.ExpiresIn);
    }
}
