namespace WeStore.Application.Segments;

/// <summary>An operators' list: <c>{items: [...]}</c>.</summary>
public sealed record OperatorList<T>(IReadOnlyList<T> Items);

public sealed record SegmentSummary(string Id, string Name, int Rules, DateTimeOffset CreatedAt);

public sealed record FlowSummary(string Id, string Name, string Trigger, int Steps, DateTimeOffset CreatedAt);

public sealed record BroadcastSummary(string Id, string SegmentId, string Text, DateTimeOffset CreatedAt);
