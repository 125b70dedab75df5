using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WeStore.Tests.Support;

/// <summary>Group-buys over HTTP: set one up, open and join teams, read them, and let a team's deadline pass.</summary>
public static class GroupBuyData
{
    public static object Body(string skuId, long groupPrice = 500, int teamSize = 2, int teamHours = 24, int perMemberLimit = 1, int? stock = null, DateTimeOffset? startsAt = null)
    {
        var start = startsAt ?? DateTimeOffset.UtcNow.AddHours(-1);
        return new { skuId, groupPrice, teamSize, teamHours, startsAt = start, endsAt = start.AddDays(7), perMemberLimit, stock };
    }

    public static Task<HttpResponseMessage> PostAsync(StoreFixture store, object body)
        => store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/group-buys", TestData.Json(JsonSerializer.Serialize(body))));

    /// <summary>A SKU (price 1000 fen) and a group-buy of it; returns the group-buy's id and the SKU.</summary>
    public static async Task<(string Id, string Sku)> CreateAsync(StoreFixture store, int teamSize = 2, int stock = 100, long groupPrice = 500, int teamHours = 24, int perMemberLimit = 1, int? groupStock = null, int shards = 1)
    {
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, stock, shards));
        var response = await PostAsync(store, Body(sku, groupPrice, teamSize, teamHours, perMemberLimit, groupStock));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, sku);
    }

    public static Task<HttpResponseMessage> OpenAsync(StoreFixture store, string token, string groupBuyId, string? key = null)
        => SeatAsync(store, token, $"/api/group-buys/{groupBuyId}/teams", key);

    public static Task<HttpResponseMessage> JoinAsync(StoreFixture store, string token, string teamId, string? key = null)
        => SeatAsync(store, token, $"/api/teams/{teamId}/join", key);

    private static Task<HttpResponseMessage> SeatAsync(StoreFixture store, string token, string path, string? key)
    {
        var request = TestData.Authorized(HttpMethod.Post, path, token, TestData.Json(JsonSerializer.Serialize(new { address = TestData.Address() })));
        request.Headers.Add("Idempotency-Key", key ?? "gb-" + Guid.NewGuid().ToString("N")[..10]);
        return store.Client.SendAsync(request);
    }

    /// <summary>The 201's team and order.</summary>
    public static async Task<(string TeamId, string OrderNo)> SeatOfAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("teamId").GetString()!, body.GetProperty("orderNo").GetString()!);
    }

    public static async Task<JsonElement> TeamAsync(StoreFixture store, string teamId)
    {
        var response = await store.Client.GetAsync($"/api/teams/{teamId}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<JsonElement> TeamForOperatorAsync(StoreFixture store, string teamId) => SegmentData.GetAsync(store, $"/api/manage/teams/{teamId}");

    public static async Task<string> StatusAsync(StoreFixture store, string teamId) => (await TeamAsync(store, teamId)).GetProperty("status").GetString()!;

    /// <summary>A store whose team timeouts wait at most a second at a time, on a clock the test moves.</summary>
    public static Task<(StoreFixture Store, WeStore.LocalHost.AdjustableClock Clock)> StartTimedAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["GroupBuys:MaxWaitSeconds"] = "1", ["AzureWebJobs.ApplyMemberFactsFunction.Disabled"] = "true" };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return SegmentData.StartAsync(settings);
    }
}
