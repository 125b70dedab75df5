using System.Text.Encodings.Web;
using System.Text.Json;

namespace WeStore.WeChat;

internal static class WeChatJson
{
    /// <summary>Relaxed escaping: some legacy WeChat APIs reject \uXXXX for Chinese text (some answered errcode 40033); unescaped UTF-8 is valid JSON all the same.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };
}
