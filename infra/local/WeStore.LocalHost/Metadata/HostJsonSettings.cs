using System.Globalization;
using System.Text.Json.Nodes;

namespace WeStore.LocalHost.Metadata;

/// <summary>The parts of host.json the local host honours, with the Functions host's defaults.</summary>
public sealed record HostJsonSettings(
    string RoutePrefix,
    int QueueBatchSize,
    int QueueNewBatchThreshold,
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    TimeSpan MaxPollingInterval)
{
    public static HostJsonSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FunctionHostStartupException($"host.json was not found at '{path}'.");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FunctionHostStartupException($"host.json at '{path}' is not valid JSON: {e.Message}");
        }

        var extensions = root?["extensions"];
        var http = extensions?["http"];
        var queues = extensions?["queues"];
        var batchSize = GetInt(queues, "batchSize") ?? 16;
        if (batchSize is < 1 or > 32)
        {
            throw new FunctionHostStartupException("host.json extensions.queues.batchSize must be between 1 and 32.");
        }

        return new HostJsonSettings(
            RoutePrefix: (http?["routePrefix"]?.GetValue<string>() ?? "api").Trim('/'),
            QueueBatchSize: batchSize,
            QueueNewBatchThreshold: GetInt(queues, "newBatchThreshold") ?? (batchSize / 2),
            MaxDequeueCount: GetInt(queues, "maxDequeueCount") ?? 5,
            VisibilityTimeout: GetTimeSpan(queues, "visibilityTimeout") ?? TimeSpan.Zero,
            MaxPollingInterval: GetTimeSpan(queues, "maxPollingInterval") ?? TimeSpan.FromMinutes(1));
    }

    private static int? GetInt(JsonNode? node, string name) => node?[name]?.GetValue<int>();

    private static TimeSpan? GetTimeSpan(JsonNode? node, string name)
    {
        var text = node?[name]?.GetValue<string>();
        return text is null ? null : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
    }
}
