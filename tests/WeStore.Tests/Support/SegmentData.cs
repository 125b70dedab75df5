using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Domain.Segments;
using Microsoft.Extensions.DependencyInjection;
using WeStore.LocalHost;

namespace WeStore.Tests.Support;

/// <summary>Segments, flows and broadcasts: the store with its facts consumer on and a clock the test moves, and the calls tests make.</summary>
public static class SegmentData
{
    /// <summary>A store whose facts consumer runs, on a clock the test moves, evaluating new definitions at once.</summary>
    public static async Task<(StoreFixture Store, AdjustableClock Clock)> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var clock = new AdjustableClock(TimeSpan.Zero);
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobs.ApplyMemberFactsFunction.Disabled"] = "false",
            ["Segments:CatalogCacheSeconds"] = "0",
            ["Segments:MaxStepWaitSeconds"] = "1",
            ["Segments:BroadcastFollowSeconds"] = "1",
            ["Segments:FlowStepLeaseSeconds"] = "30",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var store = await StoreFixture.StartAsync(settings, services => services.AddSingleton<TimeProvider>(clock));
        return (store, clock);
    }

    /// <summary>Time passes for the store and for WeChat alike.</summary>
    public static void Advance(StoreFixture store, AdjustableClock clock, TimeSpan by)
    {
        clock.Advance(by);
        store.Sandbox.App.Services.GetRequiredService<WeStore.Sandbox.SandboxClock>().Advance(by);
    }

    public static object Rule(string fact, string op, object value) => new { fact, op, value };

    public static async Task<string> CreateSegmentAsync(StoreFixture store, string name, params object[] rules)
    {
        var response = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/segments", TestData.Json(JsonSerializer.Serialize(new { name, rules }))));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> GetAsync(StoreFixture store, string path)
    {
        var response = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, path));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<long> SizeAsync(StoreFixture store, string segmentId) => (await GetAsync(store, $"/api/manage/segments/{segmentId}")).GetProperty("size").GetInt64();

    /// <summary>Every member, page by page through the route.</summary>
    public static async Task<List<string>> MembersAsync(StoreFixture store, string segmentId, int pageSize)
    {
        var all = new List<string>();
        string? token = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await GetAsync(store, $"/api/manage/segments/{segmentId}/members?pageSize={pageSize}" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token)));
            var members = page.GetProperty("members").EnumerateArray().Select(m => m.GetString()!).ToList();
            Assert.True(members.Count <= pageSize);
            all.AddRange(members);
            token = page.GetProperty("continuationToken").GetString();
            if (token is null) return all;
        }

        throw new InvalidOperationException("The pages never ended.");
    }

    public static object WecomStep(int afterHours, string text) => new { afterHours, action = new { type = "wecomMessage", text } };

    public static object CouponStep(int afterHours, string campaignId) => new { afterHours, action = new { type = "coupon", couponCampaignId = campaignId } };

    public static async Task<string> CreateFlowAsync(StoreFixture store, string trigger, object[] steps, string[] stopWhen, string? segmentId = null)
    {
        var response = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/flows",
            TestData.Json(JsonSerializer.Serialize(new { name = "flow " + trigger, trigger, segmentId, steps, stopWhen }))));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> PostBroadcastAsync(StoreFixture store, string segmentId, string text, string? idempotencyKey = null)
    {
        var request = AttributionData.Manage(HttpMethod.Post, "/api/manage/broadcasts", TestData.Json(JsonSerializer.Serialize(new { segmentId, text })));
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return store.Client.SendAsync(request);
    }

    public static Task<MemberFacts?> FactsAsync(StoreFixture store, string openId) => store.Service<IMemberFactsStore>().GetAsync(openId, default);

    /// <summary>The sandbox's mass-send tasks: sender, text and each customer's status.</summary>
    public static async Task<JsonElement[]> GroupMessagesAsync(StoreFixture store)
        => (await store.Sandbox.Client().GetFromJsonAsync<JsonElement>($"{store.Sandbox.Url}/sandbox/wecom/groupmsg")).GetProperty("messages").EnumerateArray().ToArray();

    public static async Task ConfirmAllAsync(StoreFixture store)
        => Assert.True((await store.Sandbox.Client().PostAsync($"{store.Sandbox.Url}/sandbox/wecom/groupmsg/confirm", null)).IsSuccessStatusCode);

    public static int MessagesTo(JsonElement[] messages, string externalUserId)
        => messages.Count(m => m.GetProperty("results").TryGetProperty(externalUserId, out _));
}
