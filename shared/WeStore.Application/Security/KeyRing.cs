using Microsoft.Extensions.Configuration;

namespace WeStore.Application.Security;

/// <summary>
/// Named secrets from a settings section (<c>Section:{keyId} = base64 or text</c>). The active key (the setting
/// <c>{ActiveSetting}</c>, else the first key listed) signs or encrypts; every listed key verifies or decrypts, so
/// a key can be rotated in without invalidating what the previous one produced.
/// </summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, byte[]> _keys;

    public KeyRing(IReadOnlyList<(string Id, byte[] Key)> keys, string activeKeyId)
    {
        if (keys.Count == 0) throw new InvalidOperationException("A key ring needs at least one key.");
        _keys = keys.ToDictionary(k => k.Id, k => k.Key, StringComparer.Ordinal);
        if (!_keys.ContainsKey(activeKeyId)) throw new InvalidOperationException($"The active key '{activeKeyId}' is not listed.");
        ActiveKeyId = activeKeyId;
    }

    public string ActiveKeyId { get; }

    public byte[] ActiveKey => _keys[ActiveKeyId];

    public IEnumerable<(string Id, byte[] Key)> All => _keys.Select(k => (k.Key, k.Value));

    public bool TryGet(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    public static KeyRing FromConfiguration(IConfiguration configuration, string section, string activeSetting, int minimumBytes)
    {
        var keys = new List<(string, byte[])>();
        foreach (var child in configuration.GetSection(section).GetChildren())
        {
            if (string.IsNullOrWhiteSpace(child.Value)) continue;
            var bytes = Decode(child.Value);
            if (bytes.Length < minimumBytes)
            {
                throw new InvalidOperationException($"The key '{section}:{child.Key}' is {bytes.Length} bytes; at least {minimumBytes} are required.");
            }

            keys.Add((child.Key, bytes));
        }

        if (keys.Count == 0)
        {
            throw new InvalidOperationException($"No keys are configured under '{section}' (environment form: {section.Replace(":", "__", StringComparison.Ordinal)}__<keyId>).");
        }

        var active = configuration[activeSetting];
        return new KeyRing(keys, string.IsNullOrWhiteSpace(active) ? keys[0].Item1 : active);
    }

    private static byte[] Decode(string value)
    {
        var span = value.AsSpan().Trim();
        var buffer = new byte[span.Length];
        return Convert.TryFromBase64Chars(span, buffer, out var written) && written >= 16
            ? buffer[..written]
            : System.Text.Encoding.UTF8.GetBytes(value.Trim());
    }
}
