using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace WeStore.Tests.Support;

/// <summary>
/// The Azurite the tests use: the one test.sh started (WESTORE_TEST_STORAGE), or, when the tests run on their own
/// (an IDE), one started here in memory on free ports and stopped when the process exits.
/// </summary>
public static class TestStorage
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<string> Connection = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<string[]> Pool = new(() =>
        Environment.GetEnvironmentVariable("WESTORE_TEST_STORAGE_2") is { Length: > 0 } second ? [Connection.Value, second] : [Connection.Value]);

    private static int _next;

    /// <summary>The first emulator: for tests that reach storage themselves, outside any store.</summary>
    public static string ConnectionString => Connection.Value;

    /// <summary>The emulator for the next store, taken in turn (test.sh starts two, since one Azurite uses one core).</summary>
    public static string NextConnectionString() => Pool.Value[(Interlocked.Increment(ref _next) & int.MaxValue) % Pool.Value.Length];

    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string Metadata(string key) => typeof(TestStorage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;

    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    /// <summary>A fresh storage name prefix: one per store, so stores side by side share nothing.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..9];

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string StartOrFind()
    {
        var fromScript = Environment.GetEnvironmentVariable("WESTORE_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(fromScript)) return fromScript;

        var azurite = Path.Combine(RepositoryRoot, "infra/local/node_modules/.bin/azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException("Azurite is not installed: run ./test.sh once (it runs npm ci in infra/local).");
        }

        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var process = Process.Start(new ProcessStartInfo(azurite,
            $"--inMemoryPersistence --skipApiVersionCheck --disableTelemetry --loose --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort {blob} --queuePort {queue} --tablePort {table}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, table);
                client.Dispose();
                using var client2 = new TcpClient();
                client2.Connect(IPAddress.Loopback, queue);
                return ConnectionStringFor(blob, queue, table);
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException("Azurite did not start within 60 s.");
    }
}
