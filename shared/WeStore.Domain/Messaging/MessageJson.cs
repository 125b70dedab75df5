using System.Text.Json;

namespace WeStore.Domain.Messaging;

/// <summary>The one JSON shape for queue messages, shared by senders and queue functions.</summary>
public static class MessageJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
