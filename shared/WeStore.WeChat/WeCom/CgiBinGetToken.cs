using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary><c>GET /cgi-bin/gettoken?corpid=&amp;corpsecret=</c> (https://developer.work.weixin.qq.com/document/path/91039). The secret rides in the query, so URLs are never logged.</summary>
public sealed record CgiBinGetTokenRequest(string CorpId, string CorpSecret)
{
    public const string Path = "cgi-bin/gettoken";

    public string PathAndQuery => $"{Path}?corpid={UrlEncoder.Default.Encode(CorpId)}&corpsecret={UrlEncoder.Default.Encode(CorpSecret)}";

    public override string ToString() => $"CgiBinGetTokenRequest(corpid={CorpId})";
}

public sealed class CgiBinGetTokenResponse : WeChatResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; set; }

    public override string ToString() => $"CgiBinGetTokenResponse(errcode={ErrorCode}, expires_in={ExpiresIn})";
}
