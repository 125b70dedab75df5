using System.IO.Compression;
using System.Security.Cryptography;

namespace WeStore.Functions.Console;

/// <summary>One console file, with its gzip form made once, and its ETag.</summary>
public sealed record ConsoleAsset(string Path, string ContentType, byte[] Body, byte[] Gzip, string ETag);

/// <summary>
/// The console's files, embedded in the app at build (<c>Console/*</c> and the pinned ECharts), loaded once per
/// instance: no disk, no CDN. An unknown path is null; the console's root is the page itself.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "Console/";
    private readonly Dictionary<string, ConsoleAsset> _assets = new(StringComparer.Ordinal);

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            using var zipped = new MemoryStream();
            using (var gzip = new GZipStream(zipped, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(body);
            var path = name[Prefix.Length..];
            _assets[path] = new ConsoleAsset(path, ContentType(path), body, zipped.ToArray(), "\"" + Convert.ToHexString(SHA256.HashData(body))[..16] + "\"");
        }
    }

    public IReadOnlyCollection<ConsoleAsset> All => _assets.Values;

    public ConsoleAsset? Find(string? path)
    {
        if (path is null) return null;
        var key = path is "" or "/" ? "index.html" : path.TrimStart('/');
        return _assets.GetValueOrDefault(key);
    }

    private static string ContentType(string path) => System.IO.Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };
}
