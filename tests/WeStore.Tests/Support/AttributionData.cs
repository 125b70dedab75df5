using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WeStore.Tests.Support;

/// <summary>QR codes, scans and reports for tests, through the real routes.</summary>
public static class AttributionData
{
    public static object Code(string channel = "packaging", string? scene = null, string? staffId = null, string? couponCampaignId = null, string page = "pages/index/index", bool? checkPath = null)
        => new { scene, name = "包装码 " + channel, channel, source = "batch 2026-11", page, couponCampaignId, staffId, checkPath };

    public static async Task<HttpResponseMessage> PostCodeAsync(StoreFixture store, object body)
        => await store.Client.SendAsync(Manage(HttpMethod.Post, "/api/manage/qrcodes", TestData.Json(JsonSerializer.Serialize(body))));

    /// <summary>Creates a code and returns its scene id.</summary>
    public static async Task<string> CreateCodeAsync(StoreFixture store, object body)
    {
        var response = await PostCodeAsync(store, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sceneId").GetString()!;
    }

    public static Task<HttpResponseMessage> PostScanAsync(StoreFixture store, string token, object body)
        => store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/scans", token, TestData.Json(JsonSerializer.Serialize(body))));

    public static async Task<JsonElement> ScanAsync(StoreFixture store, string token, string scene, int entryScene = 1047)
    {
        var response = await PostScanAsync(store, token, new { scene, entryScene, path = "pages/index/index" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> ReportAsync(StoreFixture store, string query)
    {
        var response = await store.Client.SendAsync(Manage(HttpMethod.Get, "/api/manage/reports/attribution?" + query));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The report row with this key, or null.</summary>
    public static JsonElement? Row(JsonElement report, string key)
        => report.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("key").GetString() == key).Cast<JsonElement?>().FirstOrDefault();

    public static long Figure(JsonElement report, string key, string figure) => Row(report, key)?.GetProperty(figure).GetInt64() ?? 0;

    public static HttpRequestMessage Manage(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        return request;
    }
}
