using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Attribution;

public sealed class QrCodeFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task Create_Valid_201StoresWeChatPngAndLists()
    {
        var store = shared.Store;
        var codeCallsBefore = store.Sandbox.State.Count("wxa/getwxacodeunlimit");
        var scene = "pk" + TestData.NewId("")[..8] + "=a.b";

        var created = await AttributionData.PostCodeAsync(store, AttributionData.Code("packaging", scene));
        var image = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, $"/api/manage/qrcodes/{scene}.png"));
        var list = await (await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, "/api/manage/qrcodes"))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(scene, view.GetProperty("sceneId").GetString());
        Assert.Equal("packaging", view.GetProperty("channel").GetString());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        var png = await image.Content.ReadAsByteArrayAsync();
        Assert.Equal(PngSignature, png[..8]);
        Assert.True(png.Length > 200);
        Assert.Contains(list.GetProperty("qrcodes").EnumerateArray(), c => c.GetProperty("sceneId").GetString() == scene);
        Assert.Equal(codeCallsBefore + 1, store.Sandbox.State.Count("wxa/getwxacodeunlimit"));
    }

    [Fact]
    public async Task Create_NoScene_GeneratesShortValidScene()
    {
        var store = shared.Store;
        var scene = await AttributionData.CreateCodeAsync(store, AttributionData.Code("kol"));
        Assert.InRange(scene.Length, 2, 32);
        Assert.True(WeStore.Domain.Attribution.SceneRules.IsValid(scene));
    }

    [Theory]
    [InlineData("a%20b")]          // '%' is not allowed, so nothing can be percent-encoded into a scene
    [InlineData("扫码")]            // non-ASCII
    [InlineData("a b")]
    [InlineData("a/b")]             // allowed by WeChat, refused here: table keys and URL paths
    [InlineData("a#b")]
    [InlineData("a&b")]             // WeChat answers 40129 for it
    [InlineData("123456789012345678901234567890123")] // 33 characters
    [InlineData("")]
    public async Task Create_BadScene_400AndNothingStoredOrFetched(string scene)
    {
        var store = shared.Store;
        var codeCallsBefore = store.Sandbox.State.Count("wxa/getwxacodeunlimit");

        var response = await AttributionData.PostCodeAsync(store, AttributionData.Code("shelf", scene));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("scene", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(codeCallsBefore, store.Sandbox.State.Count("wxa/getwxacodeunlimit"));
        var list = await (await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, "/api/manage/qrcodes"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(list.GetProperty("qrcodes").EnumerateArray(), c => c.GetProperty("sceneId").GetString() == scene);
    }

    [Fact]
    public async Task Create_ThirtyTwoCharacters_Accepted()
    {
        var store = shared.Store;
        var scene = ("s" + Guid.NewGuid().ToString("N"))[..32];
        Assert.Equal(scene, await AttributionData.CreateCodeAsync(store, AttributionData.Code("event", scene)));
    }

    [Fact]
    public async Task Create_WeChatRefuses_MappedAndNothingStored()
    {
        var store = shared.Store;
        var limited = "ratelimit" + TestData.NewId("")[..6];
        var unreleased = TestData.NewId("u");

        var rate = await AttributionData.PostCodeAsync(store, AttributionData.Code("ad", limited));
        var page = await AttributionData.PostCodeAsync(store, AttributionData.Code("ad", unreleased, page: "pages/unreleased/sale"));
        var unchecked_ = await AttributionData.PostCodeAsync(store, AttributionData.Code("ad", TestData.NewId("u"), page: "pages/unreleased/sale", checkPath: false));

        Assert.Equal(HttpStatusCode.TooManyRequests, rate.StatusCode);
        Assert.True(rate.Headers.RetryAfter is not null);
        Assert.Contains("45009", await rate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("41030", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, unchecked_.StatusCode);
        foreach (var scene in new[] { limited, unreleased })
        {
            var image = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, $"/api/manage/qrcodes/{scene}.png"));
            Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
        }
    }

    [Fact]
    public async Task Create_SceneTaken_409_ConcurrentSameScene_OneWins()
    {
        var store = shared.Store;
        var scene = TestData.NewId("dup");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => AttributionData.PostCodeAsync(store, AttributionData.Code("live", scene))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task Create_BadBodies_400_413_401()
    {
        var store = shared.Store;
        var codeCallsBefore = store.Sandbox.State.Count("wxa/getwxacodeunlimit");
        var bodies = new[]
        {
            "{not json",
            "[]",
            """{"name":"x","channel":"tv","page":"pages/index/index"}""",
            """{"name":"x","channel":"staff","page":"pages/index/index"}""",
            """{"name":"x","channel":"kol","page":"/pages/index/index"}""",
            """{"name":"x","channel":"kol","page":"pages/index/index?a=1"}""",
            """{"name":"x","channel":"kol","page":"pages/index/index","width":99999}""",
            """{"name":"x\u0000y","channel":"kol","page":"pages/index/index"}""",
            """{"name":"x","channel":"kol","page":"pages/index/index","couponCampaignId":"x' or '1'='1"}""",
            """{"name":"x","channel":"kol","page":"pages/index/index","couponCampaignId":"nosuchcampaign"}""",
        };
        foreach (var body in bodies)
        {
            var response = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/qrcodes", TestData.Json(body)));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} → {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var huge = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/qrcodes",
            TestData.Json(JsonSerializer.Serialize(new { name = new string('x', 70_000), channel = "kol", page = "pages/index/index" }))));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        var noKey = await store.Client.PostAsync("/api/manage/qrcodes", TestData.Json(JsonSerializer.Serialize(AttributionData.Code())));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        var noKeyImage = await store.Client.GetAsync("/api/manage/qrcodes/abc.png");
        Assert.Equal(HttpStatusCode.Unauthorized, noKeyImage.StatusCode);
        Assert.Equal(codeCallsBefore, store.Sandbox.State.Count("wxa/getwxacodeunlimit"));
        var missing = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, "/api/manage/qrcodes/nosuchcode.png"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("problem+json", missing.Content.Headers.ContentType?.MediaType?.Split('/')[1]);
    }
}
