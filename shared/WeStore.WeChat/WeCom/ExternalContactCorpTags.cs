using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary>
/// <c>POST /cgi-bin/externalcontact/get_corp_tag_list</c> <c>{tag_id[], group_id[]}</c>: both empty returns every group
/// (https://developer.work.weixin.qq.com/document/path/92117).
/// </summary>
public sealed class ExternalContactGetCorpTagListRequest
{
    public const string Path = "cgi-bin/externalcontact/get_corp_tag_list";

    [JsonPropertyName("group_id")]
    public IReadOnlyList<string>? GroupId { get; init; }
}

public sealed class ExternalContactGetCorpTagListResponse : WeChatResponse
{
    [JsonPropertyName("tag_group")]
    public List<CorpTagGroup>? TagGroup { get; set; }
}

public sealed class CorpTagGroup
{
    [JsonPropertyName("group_id")]
    public string? GroupId { get; set; }

    [JsonPropertyName("group_name")]
    public string? GroupName { get; set; }

    [JsonPropertyName("tag")]
    public List<CorpTag>? Tag { get; set; }
}

public sealed class CorpTag
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary>
/// <c>POST /cgi-bin/externalcontact/add_corp_tag</c>: a group (by name, ≤30 characters) with its tags; no empty groups,
/// at most 3000 tags per corp (https://developer.work.weixin.qq.com/document/path/92117).
/// </summary>
public sealed class ExternalContactAddCorpTagRequest
{
    public const string Path = "cgi-bin/externalcontact/add_corp_tag";

    [JsonPropertyName("group_id")]
    public string? GroupId { get; init; }

    [JsonPropertyName("group_name")]
    public string? GroupName { get; init; }

    [JsonPropertyName("tag")]
    public required IReadOnlyList<NewCorpTag> Tag { get; init; }
}

public sealed record NewCorpTag([property: JsonPropertyName("name")] string Name);

public sealed class ExternalContactAddCorpTagResponse : WeChatResponse
{
    [JsonPropertyName("tag_group")]
    public CorpTagGroup? TagGroup { get; set; }
}

/// <summary>
/// <c>POST /cgi-bin/externalcontact/mark_tag</c> <c>{userid, external_userid, add_tag[], remove_tag[]}</c>: one follow
/// relation's corp tags; the lists cannot both be empty. An API write sends no callback, so the store mirrors it
/// (https://developer.work.weixin.qq.com/document/path/92118).
/// </summary>
public sealed class ExternalContactMarkTagRequest
{
    public const string Path = "cgi-bin/externalcontact/mark_tag";

    [JsonPropertyName("userid")]
    public required string UserId { get; init; }

    [JsonPropertyName("external_userid")]
    public required string ExternalUserId { get; init; }

    [JsonPropertyName("add_tag")]
    public IReadOnlyList<string> AddTag { get; init; } = [];

    [JsonPropertyName("remove_tag")]
    public IReadOnlyList<string> RemoveTag { get; init; } = [];
}

public sealed class ExternalContactMarkTagResponse : WeChatResponse;
