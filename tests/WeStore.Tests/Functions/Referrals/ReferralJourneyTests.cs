using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Referrals;

/// <summary>Referrals over HTTP: binding rules (first referrer, protection, self, cycles), the reward only on completion, and its claw-back.</summary>
public sealed class ReferralJourneyTests
{
    [Fact]
    public async Task Reward_FirstOrderCompletesThenRefunded_IssuedOnceOnCompletionAndClawedBack()
    {
        var (store, clock) = await ReferralData.StartAsync(points: 100);
        await using var _store = store;
        var referrerStem = TestData.NewId("ref");
        var referrer = await store.LoginAsync(referrerStem);
        var scene = await ReferralData.SceneAsync(store, referrer);
        Assert.Equal(scene, await ReferralData.SceneAsync(store, referrer));
        Assert.DoesNotContain(store.OpenIdOf(referrerStem), scene, StringComparison.Ordinal);

        var friendStem = TestData.NewId("friend");
        var friend = await store.LoginAsync(friendStem);
        var scan = await AttributionData.ScanAsync(store, friend, scene, entryScene: 1007);
        Assert.Equal("share", scan.GetProperty("channel").GetString());
        var listed = await ReferralData.ListAsync(store, referrer);
        Assert.Equal(1, listed.GetProperty("pending").GetInt32());
        var row = listed.GetProperty("referred")[0];
        Assert.Equal("card", row.GetProperty("via").GetString());
        Assert.DoesNotContain(store.OpenIdOf(friendStem), listed.GetRawText(), StringComparison.Ordinal);

        // Paid, shipped and received: still no reward, the after-sale window is open.
        var (orderNo, _) = await ReferralData.ReceivedOrderAsync(store, friend);
        await store.IdleAsync();
        Assert.Equal(0, await ReferralData.PointsAsync(store, referrer));
        Assert.Equal(1, await ReferralData.CountAsync(store, referrer, "pending"));

        await ReferralData.CompleteDueAsync(store, clock);
        referrer = await store.LoginAsync(referrerStem);
        friend = await store.LoginAsync(friendStem);
        Assert.Equal("completed", (await store.GetOrderAsync(friend, orderNo)).GetProperty("status").GetString());
        await Eventually.TrueAsync(async () => await ReferralData.CountAsync(store, referrer, "earned") == 1, TimeSpan.FromSeconds(20), "the reward is earned");
        Assert.Equal(100, await ReferralData.PointsAsync(store, referrer));
        var wallet = await (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/me/coupons", referrer))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, wallet.GetProperty("available").GetArrayLength());

        // A second completion event for the same order changes nothing.
        await store.RunQueueFunctionAsync("HandleOrderCompletedFunction", new WeStore.Domain.Fulfilment.OrderCompletedMessage(store.OpenIdOf(friendStem), orderNo));
        Assert.Equal(100, await ReferralData.PointsAsync(store, referrer));

        // The order is refunded in full afterwards: the points and the unused coupon go back.
        var refund = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, $"/api/manage/orders/{orderNo}/refunds", TestData.Json(JsonSerializer.Serialize(new { reason = "退货" }))));
        Assert.True(refund.IsSuccessStatusCode, await refund.Content.ReadAsStringAsync());
        await store.CompleteRefundAtSandboxAsync(orderNo, orderNo + "-FULL");
        await Eventually.TrueAsync(async () => await ReferralData.CountAsync(store, referrer, "clawedBack") == 1, TimeSpan.FromSeconds(20), "the reward is clawed back");
        Assert.Equal(0, await ReferralData.PointsAsync(store, referrer));
        wallet = await (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/me/coupons", referrer))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, wallet.GetProperty("available").GetArrayLength());

        var report = await AttributionData.ReportAsync(store, "groupBy=referrer&from=" + DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd") + "&to=" + clock.GetUtcNow().AddHours(8).ToString("yyyy-MM-dd"));
        Assert.Equal(1, AttributionData.Figure(report, scene, "newMembers"));
        Assert.Equal(1, AttributionData.Figure(report, scene, "paidOrders"));
    }

    [Fact]
    public async Task Bind_SecondReferrerWithinProtection_KeepsFirstThenMovesAfter()
    {
        var (store, clock) = await ReferralData.StartAsync(bindWindowDays: 60, protectDays: 10, coupon: false);
        await using var _store = store;
        var firstStem = TestData.NewId("a");
        var secondStem = TestData.NewId("c");
        var first = await store.LoginAsync(firstStem);
        var second = await store.LoginAsync(secondStem);
        var firstScene = await ReferralData.SceneAsync(store, first);
        var secondScene = await ReferralData.SceneAsync(store, second);
        var friendStem = TestData.NewId("b");
        var friend = await store.LoginAsync(friendStem);

        await AttributionData.ScanAsync(store, friend, firstScene);
        await AttributionData.ScanAsync(store, friend, secondScene);
        Assert.Equal(1, await ReferralData.CountAsync(store, first, "pending"));
        Assert.Equal(0, await ReferralData.CountAsync(store, second, "pending"));

        SegmentData.Advance(store, clock, TimeSpan.FromDays(11));
        (first, second, friend) = (await store.LoginAsync(firstStem), await store.LoginAsync(secondStem), await store.LoginAsync(friendStem));
        await AttributionData.ScanAsync(store, friend, secondScene);
        Assert.Equal(0, await ReferralData.CountAsync(store, first, "pending"));
        Assert.Equal(1, await ReferralData.CountAsync(store, second, "pending"));
    }

    [Fact]
    public async Task Bind_SelfCycleOrLateJoiner_Refused()
    {
        var (store, clock) = await ReferralData.StartAsync(bindWindowDays: 30, coupon: false);
        await using var _store = store;
        var aStem = TestData.NewId("a");
        var bStem = TestData.NewId("b");
        var a = await store.LoginAsync(aStem);
        var b = await store.LoginAsync(bStem);
        var aScene = await ReferralData.SceneAsync(store, a);
        var bScene = await ReferralData.SceneAsync(store, b);

        await AttributionData.ScanAsync(store, a, aScene);
        Assert.Equal(0, await ReferralData.CountAsync(store, a, "pending"));

        // B is A's; A (new too) scanning B's scene would close a cycle.
        await AttributionData.ScanAsync(store, b, aScene);
        await AttributionData.ScanAsync(store, a, bScene);
        Assert.Equal(1, await ReferralData.CountAsync(store, a, "pending"));
        Assert.Equal(0, await ReferralData.CountAsync(store, b, "pending"));

        // A member who joined more than the bind window ago is no newcomer.
        var oldStem = TestData.NewId("old");
        await store.LoginAsync(oldStem);
        SegmentData.Advance(store, clock, TimeSpan.FromDays(31));
        var old = await store.LoginAsync(oldStem);
        a = await store.LoginAsync(aStem);
        await AttributionData.ScanAsync(store, old, aScene);
        Assert.Equal(1, await ReferralData.CountAsync(store, a, "pending"));
    }

    [Fact]
    public async Task Bind_WeComAddThroughMembersContactCode_BindsTheNewcomer()
    {
        var (store, _) = await ReferralData.StartAsync(coupon: false);
        await using var _store = store;
        var referrer = await store.LoginAsync(TestData.NewId("ref"));
        var response = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/me/referral-code/wecom", referrer));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var contact = await response.Content.ReadFromJsonAsync<JsonElement>();
        var scene = contact.GetProperty("scene").GetString()!;
        Assert.Equal(scene, await ReferralData.SceneAsync(store, referrer));
        Assert.StartsWith("http", contact.GetProperty("qrCode").GetString(), StringComparison.Ordinal);
        var again = await (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/me/referral-code/wecom", referrer))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(contact.GetProperty("qrCode").GetString(), again.GetProperty("qrCode").GetString());

        var friendStem = TestData.NewId("wx");
        await store.LoginAsync(friendStem);
        await WeComData.AddAsync(store, scene, friendStem);
        await Eventually.TrueAsync(async () => await ReferralData.CountAsync(store, referrer, "pending") == 1, TimeSpan.FromSeconds(20), "the WeCom add binds the friend");
        Assert.Equal("wecom", (await ReferralData.ListAsync(store, referrer)).GetProperty("referred")[0].GetProperty("via").GetString());
    }

    [Fact]
    public async Task Routes_Anonymous_401()
    {
        var (store, _) = await ReferralData.StartAsync(coupon: false);
        await using var _store = store;
        Assert.Equal(HttpStatusCode.Unauthorized, (await store.Client.PostAsync("/api/me/referral-code", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await store.Client.GetAsync("/api/me/referrals")).StatusCode);
    }
}
