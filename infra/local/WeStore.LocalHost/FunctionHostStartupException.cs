namespace WeStore.LocalHost;

/// <summary>The host refuses to start: the message says what to fix.</summary>
public sealed class FunctionHostStartupException(string message) : Exception(message);
