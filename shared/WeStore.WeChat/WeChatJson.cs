using System.Text.Encodings.Web;
using System.Text.Json;

namespace WeStore.WeChat;

internal static class WeChatJson
{
    /// <summary>Relaxed escaping: some legacy WeChat APIs reject \uXXXX for Chinese text (wechat-reference.md §8.2).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };
}
