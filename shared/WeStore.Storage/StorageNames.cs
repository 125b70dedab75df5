using Microsoft.Extensions.Configuration;

namespace WeStore.Storage;

/// <summary>
/// The names the app's tables and queues really have. In Azure and in <c>./run.sh</c> there is no prefix and the
/// names are <see cref="TableNames"/>' and the queues' own. Test fixtures set <c>Storage:NamePrefix</c> so several
/// stores share one emulator without sharing a row or a message: tables become <c>{prefix}{Name}</c>, queues
/// <c>{prefix}-{name}</c>. The local host applies the same prefix to the queues it listens on.
/// </summary>
public sealed class StorageNames
{
    public const string PrefixSetting = "Storage:NamePrefix";

    /// <summary>Room left for the longest name ("PointsExpiry", "order-timeout-poison") inside Azure's 63 characters.</summary>
    public const int MaxPrefixLength = 24;

    public static readonly StorageNames None = new(string.Empty);

    public StorageNames(string prefix)
    {
        if (prefix.Length > MaxPrefixLength || (prefix.Length > 0 && (!char.IsAsciiLetterLower(prefix[0]) || !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))))
        {
            throw new ArgumentException($"A storage name prefix is a lower-case letter, then lower-case letters and digits, at most {MaxPrefixLength} in all.", nameof(prefix));
        }

        Prefix = prefix;
    }

    public string Prefix { get; }

    public string Table(string name) => Prefix + name;

    public string Queue(string name) => Prefix.Length == 0 ? name : Prefix + "-" + name;

    /// <summary>Blob containers follow the queues' rule (lower case, a dash after the prefix).</summary>
    public string Container(string name) => Queue(name);

    public static StorageNames FromConfiguration(IConfiguration configuration)
        => configuration[PrefixSetting] is { Length: > 0 } prefix ? new StorageNames(prefix) : None;
}
