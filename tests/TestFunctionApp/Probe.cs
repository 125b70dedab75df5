using System.Collections.Concurrent;

namespace WeStore.TestFunctionApp;

/// <summary>What the test functions saw, for the tests to read (same process as the local host).</summary>
public static class Probe
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Events = new(StringComparer.Ordinal);

    public static void Record(string key, string value) => Events.GetOrAdd(key, _ => new()).Enqueue(value);

    public static IReadOnlyList<string> Read(string key) => Events.TryGetValue(key, out var q) ? [.. q] : [];
}
