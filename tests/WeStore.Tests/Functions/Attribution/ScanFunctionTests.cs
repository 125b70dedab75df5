using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WeStore.Domain.Attribution;
using WeStore.Domain.Orders;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Attribution;

public sealed class ScanFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Scan_LaterScanFromAnotherChannel_FirstTouchKeptLastTouchMoves_OrderCopiesBoth()
    {
        var store = shared.Store;
        var packaging = await AttributionData.CreateCodeAsync(store, AttributionData.Code("packaging"));
        var kol = await AttributionData.CreateCodeAsync(store, AttributionData.Code("kol"));
        var live = await AttributionData.CreateCodeAsync(store, AttributionData.Code("live"));
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 10, 1));
        var stem = TestData.NewId("m");
        var token = await store.LoginAsync(stem);

        var first = await AttributionData.ScanAsync(store, token, packaging, 1047);
        var second = await AttributionData.ScanAsync(store, token, kol, 1048);
        var placed = await store.PlaceAsync(token, "k1", TestData.Order((sku, 1)));

        Assert.Equal(packaging, first.GetProperty("firstTouch").GetProperty("sceneId").GetString());
        Assert.Equal(packaging, second.GetProperty("firstTouch").GetProperty("sceneId").GetString());
        Assert.Equal(kol, second.GetProperty("lastTouch").GetProperty("sceneId").GetString());
        Assert.Equal(1048, second.GetProperty("lastTouch").GetProperty("entryScene").GetInt32());
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var orderNo = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        // A scan after placing the order does not move what the order carries; the copy is made when it is paid.
        await AttributionData.ScanAsync(store, token, live, 1047);
        await store.PayAsync(orderNo);
        var order = await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default);
        Assert.False(order!.AttributionPending);
        Assert.Equal(packaging, order.Attribution.First?.SceneId);
        Assert.Equal("packaging", order.Attribution.First?.Channel);
        Assert.Equal(kol, order.Attribution.Last?.SceneId);
        Assert.Equal("kol", order.Attribution.Last?.Channel);
        Assert.Equal(1048, order.Attribution.Last?.EntryScene);
    }

    [Fact]
    public async Task Order_EightDaysAfterOnlyScan_Unattributed_SixDaysAfter_Attributed()
    {
        // The clock starts 8 days back and ends at the real now, which WeChat Pay's request signatures are checked against.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(8));
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var code = await AttributionData.CreateCodeAsync(store, AttributionData.Code("shelf"));
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 10, 1));
        var late = TestData.NewId("late");
        var early = TestData.NewId("early");
        await AttributionData.ScanAsync(store, await store.LoginAsync(late), code);
        time.Advance(TimeSpan.FromDays(2));
        await AttributionData.ScanAsync(store, await store.LoginAsync(early), code);

        time.Advance(TimeSpan.FromDays(6));
        var within = await PlaceAsync(store, early, sku);
        var outside = await PlaceAsync(store, late, sku);

        Assert.Equal(code, within.Attribution.Last?.SceneId);
        Assert.Equal(code, within.Attribution.First?.SceneId);
        Assert.True(outside.Attribution.IsEmpty);
        Assert.Null(outside.Attribution.First);
        Assert.Null(outside.Attribution.Last);
    }

    [Fact]
    public async Task Scan_AfterWindow_StartsNewFirstTouch_AcquisitionKept()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var a = await AttributionData.CreateCodeAsync(store, AttributionData.Code("packaging"));
        var b = await AttributionData.CreateCodeAsync(store, AttributionData.Code("live"));
        var stem = TestData.NewId("m");
        await AttributionData.ScanAsync(store, await store.LoginAsync(stem), a);

        time.Advance(TimeSpan.FromDays(8));
        var after = await AttributionData.ScanAsync(store, await store.LoginAsync(stem), b);

        Assert.Equal(b, after.GetProperty("firstTouch").GetProperty("sceneId").GetString());
        var stored = await store.Service<IMemberAttributionRepository>().GetAsync(store.OpenIdOf(stem), default);
        Assert.Equal(a, stored!.Acquisition?.SceneId);
    }

    [Fact]
    public async Task Scan_HostileScenes_RecordedAsUnknownOrRejected_NothingElseWritten()
    {
        var store = shared.Store;
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd");
        var stem = TestData.NewId("m");
        var token = await store.LoginAsync(stem);
        var before = AttributionData.Figure(await AttributionData.ReportAsync(store, $"from={day}&to={day}&groupBy=qrcode"), "unknown", "scans");
        var unknown = new[]
        {
            "x' or PartitionKey ne 'x",     // OData
            "qrcode' or RowKey gt '",
            "%27%20or%201%20eq%201",
            "a\u0000b\u001b[31m\r\nc",       // control characters
            "\u202Eevil\uFEFF",             // bidi override, BOM
            "%E0%A4%A",                      // a broken percent-encoding
            "nosuchscene",
            "{\"$ne\":null}",
        };

        foreach (var scene in unknown)
        {
            var view = await AttributionData.ScanAsync(store, token, scene);
            Assert.False(view.GetProperty("known").GetBoolean());
            Assert.DoesNotContain(scene, view.GetRawText(), StringComparison.Ordinal);
        }

        var rejected = new object[]
        {
            new { scene = new string('a', 10_000), entryScene = 1047 },
            new { scene = "", entryScene = 1047 },
            new { scene = "abc", entryScene = 99 },
            new { scene = "abc", entryScene = (int?)null },
            new { scene = "abc", entryScene = 1047, path = "pages/a\u0000" },
            new { scene = 12345, entryScene = 1047 },
            new { scene = "abc", entryScene = "1047" },
        };
        foreach (var body in rejected)
        {
            var response = await AttributionData.PostScanAsync(store, token, body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)[..Math.Min(60, JsonSerializer.Serialize(body).Length)]} → {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var after = AttributionData.Figure(await AttributionData.ReportAsync(store, $"from={day}&to={day}&groupBy=qrcode"), "unknown", "scans");
        Assert.Equal(unknown.Length, after - before);
        // Unknown scenes are not touches: the member has no attribution at all.
        Assert.Null(await store.Service<IMemberAttributionRepository>().GetAsync(store.OpenIdOf(stem), default));
    }

    [Fact]
    public async Task Scan_UrlEncodedScene_DecodedToKnownCode()
    {
        var store = shared.Store;
        var scene = TestData.NewId("s") + "=k:1";
        await AttributionData.CreateCodeAsync(store, AttributionData.Code("share", scene));
        var token = await store.LoginAsync(TestData.NewId("m"));

        var view = await AttributionData.ScanAsync(store, token, Uri.EscapeDataString(scene));

        Assert.True(view.GetProperty("known").GetBoolean());
        Assert.Equal(scene, view.GetProperty("sceneId").GetString());
    }

    [Fact]
    public async Task Scan_NoOrForgedToken_401()
    {
        var store = shared.Store;
        var none = await store.Client.PostAsync("/api/scans", TestData.Json("""{"scene":"abc","entryScene":1047}"""));
        var forged = await AttributionData.PostScanAsync(store, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", new { scene = "abc", entryScene = 1047 });
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task Scan_CodeWithScanCampaign_IssuesCouponOncePerMember()
    {
        var store = shared.Store;
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(300, perMemberLimit: 5, issueOn: "scan"));
        var code = await AttributionData.CreateCodeAsync(store, AttributionData.Code("event", couponCampaignId: campaign));
        var token = await store.LoginAsync(TestData.NewId("m"));

        await AttributionData.ScanAsync(store, token, code);
        await AttributionData.ScanAsync(store, token, code);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => AttributionData.ScanAsync(store, token, code)));

        var wallet = await CouponData.WalletAsync(store, token);
        Assert.Equal(1, wallet.GetProperty("available").EnumerateArray().Count(c => c.GetProperty("campaignId").GetString() == campaign));
    }

    [Fact]
    public async Task Create_CodeWithClaimCampaign_400()
    {
        var store = shared.Store;
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(300));
        var response = await AttributionData.PostCodeAsync(store, AttributionData.Code("event", couponCampaignId: campaign));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Scan_StorageRequests_AtMostThree()
    {
        var store = shared.Store;
        var code = await AttributionData.CreateCodeAsync(store, AttributionData.Code("shelf"));
        await AttributionData.ScanAsync(store, await store.LoginAsync(TestData.NewId("w")), code); // warms the code cache and the counter
        var token = await store.LoginAsync(TestData.NewId("m"));
        var counter = store.Service<StorageRequestCounter>();
        await store.IdleAsync();

        var before = counter.Total;
        await AttributionData.ScanAsync(store, token, code);
        var firstScan = counter.Total - before;
        before = counter.Total;
        await AttributionData.ScanAsync(store, token, code);
        var repeatScan = counter.Total - before;

        Assert.True(firstScan <= 3, $"{firstScan} requests");
        Assert.True(repeatScan <= 3, $"{repeatScan} requests");
    }

    private static async Task<Order> PlaceAsync(StoreFixture store, string stem, string sku)
    {
        var token = await store.LoginAsync(stem);
        var response = await store.PlaceAsync(token, "k" + Guid.NewGuid().ToString("N")[..6], TestData.Order((sku, 1)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var orderNo = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        // The order carries its attribution from its first transition on: pay it.
        await store.PayAsync(orderNo);
        var order = (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!;
        Assert.False(order.AttributionPending);
        return order;
    }
}
