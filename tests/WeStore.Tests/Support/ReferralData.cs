using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.LocalHost;

namespace WeStore.Tests.Support;

/// <summary>Referrals over HTTP: a member's share scene, their list, and a referred member's first order taken to completion.</summary>
public static class ReferralData
{
    /// <summary>A store on a moved clock whose referral reward is <paramref name="points"/> points and, when given, a coupon campaign's coupon.</summary>
    public static async Task<(StoreFixture Store, AdjustableClock Clock)> StartAsync(int bindWindowDays = 30, int protectDays = 30, long points = 100, bool coupon = true)
    {
        var (setup, _) = await SegmentData.StartAsync(new() { ["AzureWebJobs.ApplyMemberFactsFunction.Disabled"] = "true" });
        string? campaign = null;
        string prefix, storage;
        await using (setup)
        {
            if (coupon) campaign = await CouponData.CreateCampaignAsync(setup, CouponData.Fixed(300, issueOn: "referral"));
            prefix = setup.StoragePrefix;
            storage = setup.Host.ConnectionString;
        }

        return await SegmentData.StartAsync(new()
        {
            ["AzureWebJobs.ApplyMemberFactsFunction.Disabled"] = "true",
            [WeStore.Storage.StorageNames.PrefixSetting] = prefix,
            ["AzureWebJobs" + "Storage"] = storage,
            ["Referral:BindWindowDays"] = bindWindowDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Referral:ProtectDays"] = protectDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Referral:RewardPoints"] = points.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Referral:RewardCampaignId"] = campaign,
            ["Referral:WeComStaffUserId"] = "staff.li",
        });
    }

    public static async Task<string> SceneAsync(StoreFixture store, string token)
    {
        var response = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/me/referral-code", token));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("?scene=" + body.GetProperty("scene").GetString(), body.GetProperty("path").GetString(), StringComparison.Ordinal);
        return body.GetProperty("scene").GetString()!;
    }

    public static async Task<JsonElement> ListAsync(StoreFixture store, string token)
    {
        var response = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/me/referrals", token));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<int> CountAsync(StoreFixture store, string token, string figure) => (await ListAsync(store, token)).GetProperty(figure).GetInt32();

    /// <summary>The member's order for one unit: placed, paid, shipped, confirmed in WeChat; returns its number and SKU.</summary>
    public static async Task<(string OrderNo, string Sku)> ReceivedOrderAsync(StoreFixture store, string token, long price = 1000)
    {
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, price, 10, 1));
        var placed = await store.PlaceAsync(token, "k-" + Guid.NewGuid().ToString("N")[..8], TestData.Order((sku, 1)));
        Assert.True(placed.StatusCode == HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        var orderNo = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        await store.PayAsync(orderNo);
        await Eventually.TrueAsync(async () => await FulfilmentData.FindOpenIdAsync(store, orderNo) is not null, TimeSpan.FromSeconds(20), "the order is to ship");
        var shipped = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1));
        Assert.True(shipped.IsSuccessStatusCode, await shipped.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => (await FulfilmentData.AtWeChatAsync(store, orderNo)).TryGetProperty("shipping", out _), TimeSpan.FromSeconds(20), "WeChat holds the shipment");
        await FulfilmentData.ConfirmInWeChatAsync(store, orderNo);
        await Eventually.TrueAsync(async () => (await store.GetOrderAsync(token, orderNo)).GetProperty("status").GetString() == "received", TimeSpan.FromSeconds(20), "the order is received");
        return (orderNo, sku);
    }

    /// <summary>The after-sale window passes and the daily run completes what is due.</summary>
    public static async Task CompleteDueAsync(StoreFixture store, AdjustableClock clock)
    {
        SegmentData.Advance(store, clock, TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await store.RunQueueFunctionAsync("RunFulfilmentScheduleFunction", new { });
        await store.IdleAsync();
        await store.RunQueueFunctionAsync("RunFulfilmentScheduleFunction", new { });
        await store.IdleAsync();
    }

    public static async Task<long> PointsAsync(StoreFixture store, string token)
        => (await (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/me/points", token))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetInt64();
}
