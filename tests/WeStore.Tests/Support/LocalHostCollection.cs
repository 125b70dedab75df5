namespace WeStore.Tests.Support;

/// <summary>
/// Tests that start a local host run one at a time: hosts over one Azurite share queue names, so one host's
/// listener could take another test's messages.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LocalHostCollection
{
    public const string Name = "local host";
}
