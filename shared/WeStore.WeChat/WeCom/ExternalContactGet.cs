using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary>
/// <c>GET /cgi-bin/externalcontact/get?external_userid=</c>: the customer and the members who follow them
/// (https://developer.work.weixin.qq.com/document/path/92114). <c>unionid</c> is present only for WeChat users
/// (type 1) of a corp that bound a WeChat developer id in 客户联系: it is the join to the Mini Program's member.
/// </summary>
public sealed record ExternalContactGetRequest(string ExternalUserId)
{
    public const string Path = "cgi-bin/externalcontact/get";

    public string PathWithQuery => $"{Path}?external_userid={UrlEncoder.Default.Encode(ExternalUserId)}";
}

public sealed class ExternalContactGetResponse : WeChatResponse
{
    [JsonPropertyName("external_contact")]
    public ExternalContactInfo? ExternalContact { get; set; }

    [JsonPropertyName("follow_user")]
    public List<FollowUserInfo>? FollowUser { get; set; }
}

public sealed class ExternalContactInfo
{
    [JsonPropertyName("external_userid")]
    public string? ExternalUserId { get; set; }

    /// <summary>1 a WeChat user, 2 a WeCom user.</summary>
    [JsonPropertyName("type")]
    public int Type { get; set; }

    [JsonPropertyName("unionid")]
    public string? UnionId { get; set; }

    public override string ToString() => $"ExternalContactInfo(type={Type})";
}

public sealed class FollowUserInfo
{
    [JsonPropertyName("userid")]
    public string? UserId { get; set; }

    [JsonPropertyName("createtime")]
    public long CreateTime { get; set; }

    [JsonPropertyName("state")]
    public string? State { get; set; }

    /// <summary>How the customer was added (1 QR scan, 10 视频号, ...); fixed by WeCom, while <see cref="State"/> is ours.</summary>
    [JsonPropertyName("add_way")]
    public int AddWay { get; set; }
}
