using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WeStore.Tests.Support;

namespace WeStore.Tests.Demo;

/// <summary>
/// The README's <c>./run.sh demo</c>, run as a user would: it starts Azurite, the sandbox and the local host from the
/// build, walks the journey, and must exit 0. Own ports and a fresh data folder, so it runs beside the other tests.
/// </summary>
public sealed class RunShDemoTests
{
    [Fact]
    public async Task RunShDemo_FreshStore_JourneyWorksAndEverythingStops()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "westore-demo-" + Guid.NewGuid().ToString("N"));
        var azuriteBase = FreePortRun(3);
        var start = new ProcessStartInfo("bash", "./run.sh demo")
        {
            WorkingDirectory = TestStorage.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["WESTORE_HOST_PORT"] = TestStorage.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["WESTORE_SANDBOX_PORT"] = TestStorage.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["WESTORE_AZURITE_PORT"] = azuriteBase.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["WESTORE_DATA_DIR"] = dataDir,
                ["WESTORE_SKIP_BUILD"] = "1",
                ["AzureWebJobsStorage"] = null,
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output + await errors;
        try
        {
            Assert.True(process.ExitCode == 0, text);
            Assert.Contains("The journey worked", text);
            Assert.Contains("status paid", text);
            Assert.Contains("1 new member, 1 order, 1 paid", text);
            Assert.Contains("points (tier member)", text);
            Assert.Contains("status received (weChat)", text);
            Assert.Contains("order_state 2 (shipped)", text);
            Assert.Contains("after-sale refunded", text);
            Assert.Contains("no difference; the bill is archived as bills/", text);
            Assert.Contains("1 WeCom add, 1 new member, 1 order, 1 paid", text);
            Assert.Contains("1 follow, 1 new member, 1 order, 1 paid", text);
            Assert.Contains("template message tmpl-oa-shipped", text);
            Assert.Contains("The points expired and the order completed as they should.", text);
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The first of <paramref name="count"/> consecutive free loopback ports.</summary>
    private static int FreePortRun(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = Random.Shared.Next(20000, 40000);
            if (Enumerable.Range(first, count).All(IsFree)) return first;
        }

        throw new InvalidOperationException("No run of free ports was found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
