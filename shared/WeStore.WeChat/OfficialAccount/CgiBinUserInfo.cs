using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.OfficialAccount;

/// <summary>
/// <c>GET /cgi-bin/user/info?openid=&amp;lang=zh_CN</c>: a follower (https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo).
/// <c>subscribe</c> 0 means not following (and nothing else is returned); <c>unionid</c> only when the account is bound
/// to an Open Platform account; nickname and avatar are no longer returned.
/// </summary>
public sealed record CgiBinUserInfoRequest(string OpenId)
{
    public const string Path = "cgi-bin/user/info";

    public string PathWithQuery => $"{Path}?openid={UrlEncoder.Default.Encode(OpenId)}&lang=zh_CN";
}

public sealed class CgiBinUserInfoResponse : WeChatResponse
{
    [JsonPropertyName("subscribe")]
    public int Subscribe { get; set; }

    [JsonPropertyName("openid")]
    public string? OpenId { get; set; }

    [JsonPropertyName("unionid")]
    public string? UnionId { get; set; }

    [JsonPropertyName("subscribe_time")]
    public long SubscribeTime { get; set; }

    /// <summary>ADD_SCENE_QR_CODE, ADD_SCENE_SEARCH, ADD_SCENE_LIVESTREAM (Channels live), ADD_SCENE_CHANNELS, ...</summary>
    [JsonPropertyName("subscribe_scene")]
    public string? SubscribeScene { get; set; }

    [JsonPropertyName("qr_scene_str")]
    public string? QrSceneStr { get; set; }

    public override string ToString() => $"CgiBinUserInfoResponse(subscribe={Subscribe}, scene={SubscribeScene})";
}
