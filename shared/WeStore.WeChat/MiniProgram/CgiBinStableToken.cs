using System.Text.Json.Serialization;

namespace WeStore.WeChat.MiniProgram;

/// <summary><c>POST /cgi-bin/stable_token</c>: the access token for server-side WeChat APIs.</summary>
public sealed class CgiBinStableTokenRequest
{
    [JsonPropertyName("grant_type")]
    public string GrantType { get; init; } = "client_credential";

    [JsonPropertyName("appid")]
    public required string AppId { get; init; }

    [JsonPropertyName("secret")]
    public required string Secret { get; init; }

    [JsonPropertyName("force_refresh")]
    public bool ForceRefresh { get; init; }

    public override string ToString() => $"CgiBinStableTokenRequest(appid={AppId}, force_refresh={ForceRefresh})";
}

public sealed class CgiBinStableTokenResponse : WeChatResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; set; }

    public override string ToString() => $"CgiBinStableTokenResponse(errcode={ErrorCode}, expires_in={ExpiresIn})";
}
