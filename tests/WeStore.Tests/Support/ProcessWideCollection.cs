namespace WeStore.Tests.Support;

/// <summary>
/// Tests that observe process-wide state (the telemetry meters and activity sources every host in the process writes
/// to) run alone, after the parallel collections. Every other class is its own collection: each store has its own
/// storage name prefix, so classes run side by side without sharing a table or a queue.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "process-wide state";
}
