using System.Net.Http.Json;
using System.Text.Json;

namespace WeStore.Tests.Support;

/// <summary>Coupon campaigns for tests, created through the operator route.</summary>
public static class CouponData
{
    public static async Task<string> CreateCampaignAsync(StoreFixture store, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/manage/coupons/campaigns") { Content = TestData.Json(JsonSerializer.Serialize(body)) };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        var response = await store.Client.SendAsync(request);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static object Fixed(long amountOff, int totalStock = 100, int perMemberLimit = 1, string issueOn = "claim", long? minSpend = null, int validDays = 30)
        => new { name = "立减券", type = "fixed", amountOff, minSpend, totalStock, perMemberLimit, issueOn, validDays };

    public static Task<HttpResponseMessage> ClaimAsync(StoreFixture store, string token, string campaignId)
        => store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/coupons/campaigns/{campaignId}/claim", token));

    public static async Task<string> ClaimedIdAsync(StoreFixture store, string token, string campaignId)
    {
        var response = await ClaimAsync(store, token, campaignId);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("couponId").GetString()!;
    }

    /// <summary>The member's coupons of one campaign, in any state.</summary>
    public static int CountOf(JsonElement wallet, string campaignId)
        => new[] { "available", "reserved", "used", "expired" }.Sum(k => wallet.GetProperty(k).EnumerateArray().Count(c => c.GetProperty("campaignId").GetString() == campaignId));

    public static async Task<JsonElement> WalletAsync(StoreFixture store, string token)
        => await (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/me/coupons", token))).Content.ReadFromJsonAsync<JsonElement>();

    public static object OrderWithCoupon(string couponId, params (string SkuId, int Quantity)[] items) => new
    {
        items = items.Select(i => new { skuId = i.SkuId, quantity = i.Quantity }).ToArray(),
        couponId,
        address = TestData.Address(),
    };
}
