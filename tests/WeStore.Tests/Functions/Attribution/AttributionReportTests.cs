using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WeStore.Domain.Orders;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Attribution;

public sealed class AttributionReportTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Scans_5000ConcurrentOfOneCode_ReportCounts5000()
    {
        var store = shared.Store;
        var code = await AttributionData.CreateCodeAsync(store, AttributionData.Code("live"));
        var tokens = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => store.LoginAsync(TestData.NewId("v" + i))));
        using var gate = new SemaphoreSlim(64);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 5000).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return (await AttributionData.PostScanAsync(store, tokens[i % tokens.Length], new { scene = code, entryScene = 1047 })).StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var report = await AttributionData.ReportAsync(store, "groupBy=qrcode");
        Assert.Equal(5000, AttributionData.Figure(report, code, "scans"));
        Assert.Equal(100, AttributionData.Figure(report, code, "uniqueVisitors"));
        Assert.Equal("live", AttributionData.Row(report, code)!.Value.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Report_PaidAndClosedOrders_CountedOnceEach_ByChannelQrCodeAndStaff()
    {
        // Real time (WeChat Pay's notifications are checked against it); the codes, staff id and channel are this test's own.
        var store = shared.Store;
        var range = "from=" + DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8).AddDays(-1)).ToString("yyyy-MM-dd");
        var staff = TestData.NewId("staff");
        var code = await AttributionData.CreateCodeAsync(store, AttributionData.Code("staff", staffId: staff));
        var other = await AttributionData.CreateCodeAsync(store, AttributionData.Code("kol"));
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 2500, 10, 1));
        var buyer = TestData.NewId("b");
        var browser = TestData.NewId("v");
        var token = await store.LoginAsync(buyer);
        await AttributionData.ScanAsync(store, token, code);
        await AttributionData.ScanAsync(store, token, code);
        await AttributionData.ScanAsync(store, await store.LoginAsync(browser), code);
        await AttributionData.ScanAsync(store, await store.LoginAsync(TestData.NewId("k")), other);

        var paid = await PlaceAsync(store, token, sku, 2);
        await store.PayAsync(paid);
        var closed = await PlaceAsync(store, token, sku, 1);
        var cancel = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/orders/{closed}/cancel", token));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        await Eventually.TrueAsync(
            () => AttributionData.Figure(AttributionData.ReportAsync(store, $"{range}&groupBy=qrcode").Result, code, "paidOrders") == 1,
            TimeSpan.FromSeconds(15), "the order-paid consumer recorded the conversion");
        // Redeliveries of the paid event and of the cancelled order's timeout change nothing.
        await store.RunQueueFunctionAsync("FulfilPaidOrderFunction", new OrderPaidMessage(store.OpenIdOf(buyer), paid));
        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage(store.OpenIdOf(buyer), closed, [sku]));
        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage(store.OpenIdOf(buyer), closed, [sku]));

        var byCode = await AttributionData.ReportAsync(store, $"{range}&groupBy=qrcode");
        var byChannel = await AttributionData.ReportAsync(store, $"{range}&groupBy=channel");
        var byStaff = await AttributionData.ReportAsync(store, $"{range}&groupBy=staff");

        foreach (var (report, key) in new[] { (byCode, code), (byChannel, "staff"), (byStaff, staff) })
        {
            var row = AttributionData.Row(report, key)!.Value;
            Assert.Equal(3, row.GetProperty("scans").GetInt64());
            Assert.Equal(2, row.GetProperty("uniqueVisitors").GetInt64());
            Assert.Equal(2, row.GetProperty("newMembers").GetInt64());
            Assert.Equal(2, row.GetProperty("orders").GetInt64());
            Assert.Equal(1, row.GetProperty("paidOrders").GetInt64());
            Assert.Equal(5000, row.GetProperty("paidGmv").GetInt64());
            Assert.Equal(0.5, row.GetProperty("conversionRate").GetDouble());
        }

        Assert.Equal(1, AttributionData.Figure(byCode, other, "scans"));
        Assert.Equal(0, AttributionData.Figure(byCode, other, "orders"));
        Assert.Null(AttributionData.Row(byStaff, other));
        Assert.Equal(0, (await AttributionData.ReportAsync(store, "from=2020-01-01&to=2020-01-31")).GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public async Task Report_NewMembers_OnlyMembersWhoJoinedInTheScanningSession()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 5, Random.Shared.Next(1, 28), 2, 0, 0, TimeSpan.Zero));
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var code = await AttributionData.CreateCodeAsync(store, AttributionData.Code("ad"));
        var returning = TestData.NewId("r");
        await store.LoginAsync(returning);
        var returningToken = await store.LoginAsync(returning); // a second login: not a new member any more
        var fresh = await store.LoginAsync(TestData.NewId("n"));

        await AttributionData.ScanAsync(store, returningToken, code);
        await AttributionData.ScanAsync(store, fresh, code);
        await AttributionData.ScanAsync(store, fresh, code);

        Assert.Equal(1, AttributionData.Figure(await AttributionData.ReportAsync(store, "groupBy=qrcode"), code, "newMembers"));
    }

    [Fact]
    public async Task Report_Csv_HeaderRowsAndFormulaCellsDefused()
    {
        var store = shared.Store;
        var scene = "=1+1" + TestData.NewId("")[..6];
        await AttributionData.CreateCodeAsync(store, AttributionData.Code("other", scene));
        await AttributionData.ScanAsync(store, await store.LoginAsync(TestData.NewId("m")), scene);
        var request = AttributionData.Manage(HttpMethod.Get, "/api/manage/reports/attribution?groupBy=qrcode");
        request.Headers.Add("Accept", "text/csv");

        var response = await store.Client.SendAsync(request);
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("key,channel,scans,uniqueVisitors,newMembers,orders,paidOrders,paidGmv,conversionRate,wecomAdds,wecomLost,follows,unfollows\r\n", csv, StringComparison.Ordinal);
        Assert.Contains($"'{scene},other,1,1,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain($"\n{scene}", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("groupBy=sku")]
    [InlineData("groupBy=channel&groupBy=qrcode")]
    [InlineData("from=2026-13-01")]
    [InlineData("from=2026-11-20&to=2026-11-01")]
    [InlineData("from=2026-01-01&to=2026-12-31")]
    [InlineData("from=2026-11-01'%20or%20'1'%3D'1")]
    [InlineData("to=99999-01-01")]
    public async Task Report_BadQuery_400ProblemJson(string query)
    {
        var store = shared.Store;
        var response = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, "/api/manage/reports/attribution?" + query));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Report_NoKey_401()
    {
        var store = shared.Store;
        Assert.Equal(HttpStatusCode.Unauthorized, (await store.Client.GetAsync("/api/manage/reports/attribution")).StatusCode);
    }

    private static async Task<string> PlaceAsync(StoreFixture store, string token, string sku, int quantity)
    {
        var response = await store.PlaceAsync(token, "k" + Guid.NewGuid().ToString("N")[..6], TestData.Order((sku, quantity)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
    }
}
