using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary>
/// <c>POST /cgi-bin/media/upload?type=image</c>, multipart field <c>media</c>: a temporary media id, valid for 3 days and
/// shared by the corp's apps (https://developer.work.weixin.qq.com/document/path/90253). Images ≤10 MB, JPG or PNG, over 5 bytes.
/// </summary>
public sealed record CgiBinMediaUploadRequest(string Type, string FileName, string ContentType, byte[] File)
{
    public const string Path = "cgi-bin/media/upload";

    public const int MaxImageBytes = 10 * 1024 * 1024;

    public override string ToString() => $"CgiBinMediaUploadRequest(type={Type}, {File.Length} bytes)";
}

public sealed class CgiBinMediaUploadResponse : WeChatResponse
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("media_id")]
    public string? MediaId { get; set; }

    /// <summary>Unix seconds, as a string in WeCom's answer.</summary>
    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; set; }
}
