using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Segments;

/// <summary>The operators' lists the console shows: segments, flows, broadcasts, coupon campaigns (newest first, keyed).</summary>
public sealed class OperatorListTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private async Task<JsonElement> ListAsync(string path)
    {
        var response = await shared.Store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, path));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
    }

    [Fact]
    public async Task Lists_AfterCreating_NewestFirstWithIt()
    {
        var segment = await SegmentData.CreateSegmentAsync(shared.Store, "列表测试", SegmentData.Rule("paidOrderCount", "gte", 1));
        var campaign = await CouponData.CreateCampaignAsync(shared.Store, CouponData.Fixed(300));

        Assert.Contains((await ListAsync("/api/manage/segments")).EnumerateArray(), s => s.GetProperty("id").GetString() == segment);
        Assert.Contains((await ListAsync("/api/manage/coupons/campaigns")).EnumerateArray(), c => c.GetProperty("id").GetString() == campaign);
        Assert.Equal(JsonValueKind.Array, (await ListAsync("/api/manage/flows")).ValueKind);
        Assert.Equal(JsonValueKind.Array, (await ListAsync("/api/manage/broadcasts")).ValueKind);
        var dates = (await ListAsync("/api/manage/segments")).EnumerateArray().Select(s => s.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(dates.OrderByDescending(d => d), dates);
    }

    [Fact]
    public async Task Lists_NoKey_401()
    {
        foreach (var path in new[] { "/api/manage/segments", "/api/manage/flows", "/api/manage/broadcasts", "/api/manage/coupons/campaigns" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await shared.Store.Client.GetAsync(path)).StatusCode);
        }
    }
}
