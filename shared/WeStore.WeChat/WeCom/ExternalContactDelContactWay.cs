using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary><c>POST /cgi-bin/externalcontact/del_contact_way</c> <c>{config_id}</c> (https://developer.work.weixin.qq.com/document/path/92228).</summary>
public sealed record ExternalContactDelContactWayRequest([property: JsonPropertyName("config_id")] string ConfigId)
{
    public const string Path = "cgi-bin/externalcontact/del_contact_way";
}

public sealed class ExternalContactDelContactWayResponse : WeChatResponse;
