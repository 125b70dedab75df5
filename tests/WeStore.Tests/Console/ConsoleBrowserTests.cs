using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Tests.Support;

namespace WeStore.Tests.Console;

/// <summary>
/// The operator console in a real browser (Debian's Chromium, driven by playwright-core: tests/Console/journeys.mjs)
/// against a store seeded here: signing in (and a wrong key), the funnel's numbers, shipping through the form, a CSV
/// through the file input, an after-sale request approved and received, a contact-me code and its image, each page's
/// screenshot (kept under TestResults/console) with an axe-core scan, and the first load's bytes and time to the chart.
/// </summary>
public sealed class ConsoleBrowserTests
{
    [BrowserFact]
    public async Task Journeys_InChromium_EachWorks()
    {
        await using var store = await StoreFixture.StartAsync();
        // The funnel: a member who scanned a packaging code and paid.
        var scene = await AttributionData.CreateCodeAsync(store, AttributionData.Code("packaging"));
        var (buyerToken, buyerOrder, _, _) = await store.PlaceOrderAsync();
        await AttributionData.ScanAsync(store, buyerToken, scene);
        var scanned = await store.LoginAsync(TestData.NewId("scan"));
        await AttributionData.ScanAsync(store, scanned, scene);
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 10, 1));
        var placed = await store.PlaceAsync(scanned, "console-funnel", TestData.Order((sku, 1)));
        var funnelOrder = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        await store.PayAsync(funnelOrder);
        await store.PayAsync(buyerOrder);
        // An order to ship through the form, one for the CSV, and a received order with a return to review.
        var toShip = await FulfilmentData.PaidOrderAsync(store, quantity: 1);
        var toImport = await FulfilmentData.PaidOrderAsync(store, quantity: 1);
        var received = await AfterSaleData.ReceivedOrderAsync(store, quantity: 1);
        var afterSale = await AfterSaleData.RequestIdAsync(store, received.Token, received.OrderNo, AfterSaleData.Return(received.Sku, 1));
        await store.IdleAsync();

        var artefacts = Path.Combine(TestStorage.RepositoryRoot, "TestResults", "console");
        var run = new ProcessStartInfo("node", "journeys.mjs")
        {
            WorkingDirectory = Path.Combine(TestStorage.RepositoryRoot, "tests", "Console"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["CONSOLE_URL"] = new Uri(store.Client.BaseAddress!, "/api/manage/console/").ToString(),
                ["KEY"] = RunningHost.MasterKey,
                ["CHROMIUM"] = BrowserFactAttribute.Chromium,
                ["OUT"] = artefacts,
                ["SHIP_ORDER"] = toShip.OrderNo,
                ["IMPORT_ORDER"] = toImport.OrderNo,
                ["AFTER_SALE"] = afterSale,
                ["MEMBER_TOKEN"] = received.Token,
                ["EXPECT_PAID"] = "1",
                ["EXPECT_CHANNEL"] = "packaging",
            },
        };
        using var process = Process.Start(run)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output;
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        Assert.True(line is not null, $"no result from the browser run (exit {process.ExitCode}): {text}\n{await errors}");
        var result = JsonDocument.Parse(line!).RootElement;
        await File.WriteAllTextAsync(Path.Combine(artefacts, "figures.json"), result.GetProperty("figures").GetRawText());
        var failed = result.GetProperty("results").EnumerateArray().Where(r => !r.GetProperty("ok").GetBoolean())
            .Select(r => r.GetProperty("name").GetString() + ": " + r.GetProperty("error").GetString()).ToList();
        Assert.True(failed.Count == 0, string.Join("\n\n", failed));
        Assert.Equal(8, result.GetProperty("results").GetArrayLength());
        foreach (var page in new[] { "today", "orders", "afterSales", "codes", "coupons", "reconciliation", "members" })
        {
            Assert.True(File.Exists(Path.Combine(artefacts, page + ".png")), $"no screenshot of {page}");
        }

        // What the browser did went through the store: the order shipped, the return received.
        Assert.Equal("shipped", (await store.GetOrderAsync(toShip.Token, toShip.OrderNo)).GetProperty("status").GetString());
        Assert.Equal("shipped", (await store.GetOrderAsync(toImport.Token, toImport.OrderNo)).GetProperty("status").GetString());
        Assert.NotEqual("requested", await AfterSaleData.StatusAsync(store, afterSale));
        Assert.Equal(HttpStatusCode.OK, (await store.Client.GetAsync("/api/manage/console/")).StatusCode);
    }
}
