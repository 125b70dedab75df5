using System.Reflection;

namespace WeStore.LocalHost.Metadata;

public enum TriggerKind
{
    Http,
    Queue,
    Timer,
}

/// <summary>A function as the worker reports it: entry point plus its trigger binding.</summary>
public sealed record FunctionDefinition(
    string Name,
    string EntryPoint,
    MethodInfo Method,
    TriggerKind Kind,
    string TriggerParameterName,
    HttpTriggerSettings? Http,
    QueueTriggerSettings? Queue,
    TimerTriggerSettings? Timer);

public sealed record HttpTriggerSettings(string Route, IReadOnlyList<string> Methods, string AuthLevel);

public sealed record QueueTriggerSettings(string QueueName, string? Connection);

public sealed record TimerTriggerSettings(string Schedule, bool RunOnStartup, bool UseMonitor);
