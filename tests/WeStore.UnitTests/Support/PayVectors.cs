using System.Text.Json;

namespace WeStore.UnitTests.Support;

/// <summary>The published WeChat Pay v3 known-answer vectors (Vectors/README.md says where each comes from).</summary>
public static class PayVectors
{
    private static readonly Lazy<JsonElement[]> All = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "wechatpay-v3.json")));
        return document.RootElement.GetProperty("vectors").EnumerateArray().Select(v => v.Clone()).ToArray();
    });

    public static JsonElement Get(string id) => All.Value.Single(v => v.GetProperty("id").GetString() == id);

    public static TheoryData<string> OfKind(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var v in All.Value.Where(v => v.GetProperty("kind").GetString() == kind)) data.Add(v.GetProperty("id").GetString()!);
        return data;
    }

    public static string Input(this JsonElement vector, string name) => vector.GetProperty("inputs").GetProperty(name).GetString()!;

    public static JsonElement Expected(this JsonElement vector) => vector.GetProperty("expected");
}
