using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace WeStore.WeChat.Push;

/// <summary>
/// Pushed documents, JSON or XML, read the same way: an XML document becomes the JSON object it describes (an
/// element's text is a string, child elements are an object, repeated elements an array), so handlers read one shape.
/// XML is read with DTDs prohibited and no resolver: an entity or a DOCTYPE is refused, never expanded or fetched.
/// </summary>
public static class PushDocument
{
    public const int MaxBytes = 64 * 1024;

    private static readonly XmlReaderSettings Xml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>The document as a JSON object, or null when it is neither a JSON object nor well-formed, DTD-free XML.</summary>
    public static JsonObject? Parse(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                return JsonNode.Parse(trimmed, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        if (!trimmed.StartsWith('<')) return null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(trimmed), Xml);
            reader.MoveToContent();
            return reader.NodeType == XmlNodeType.Element ? ReadElement(reader, depth: 0) as JsonObject ?? [] : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>Reads the bytes as UTF-8 (a BOM is tolerated) and parses them.</summary>
    public static JsonObject? Parse(ReadOnlySpan<byte> body) => body.Length > MaxBytes ? null : Parse(Encoding.UTF8.GetString(body));

    /// <summary>A field as text: a string, or a number's text (WeChat sends CreateTime as either).</summary>
    public static string? Text(JsonObject document, string name) => document[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    /// <summary>A field that may hold one object or an array of them (WeChat's JSON does both for the same field).</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonObject o => [o],
        JsonArray a => a.OfType<JsonObject>(),
        _ => [],
    };

    private static JsonNode? ReadElement(XmlReader reader, int depth)
    {
        if (depth > 16) throw new XmlException("The document is nested too deeply.");
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return JsonValue.Create(string.Empty);
        }

        var children = new JsonObject();
        var text = new StringBuilder();
        var hasChildren = false;
        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    hasChildren = true;
                    var name = reader.LocalName;
                    var child = ReadElement(reader, depth + 1);
                    if (children[name] is { } existing)
                    {
                        if (existing is JsonArray array) array.Add(child);
                        else
                        {
                            children.Remove(name);
                            children[name] = new JsonArray(existing, child);
                        }
                    }
                    else
                    {
                        children[name] = child;
                    }

                    continue;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    text.Append(reader.Value);
                    break;
            }

            reader.Read();
        }

        reader.Read();
        return hasChildren ? children : JsonValue.Create(text.ToString().Trim());
    }
}
