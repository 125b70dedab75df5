using System.Text.Encodings.Web;

namespace WeStore.WeChat.MiniProgram;

/// <summary>The calls that authenticate with the AppSecret rather than an access token.</summary>
public sealed class WeChatAuthClient(WeChatHttp http)
{
    public string AppId => http.Options.AppId;

    public Task<SnsJsCode2SessionResponse> JsCode2SessionAsync(SnsJsCode2SessionRequest request, CancellationToken cancellationToken)
    {
        var o = http.Options;
        var query = $"sns/jscode2session?appid={Escape(o.AppId)}&secret={Escape(o.AppSecret)}&js_code={Escape(request.JsCode)}&grant_type=authorization_code";
        return http.GetAsync<SnsJsCode2SessionResponse>("sns/jscode2session", query, cancellationToken);
    }

    public Task<CgiBinStableTokenResponse> GetStableTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
        => http.PostJsonAsync<CgiBinStableTokenRequest, CgiBinStableTokenResponse>(
            "cgi-bin/stable_token",
            "cgi-bin/stable_token",
            new CgiBinStableTokenRequest { AppId = http.Options.AppId, Secret = http.Options.AppSecret, ForceRefresh = forceRefresh },
            cancellationToken);

    private static string Escape(string value) => UrlEncoder.Default.Encode(value);
}
