using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Domain.Segments;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Segments;

/// <summary>Mass messages: per staff member in chunks, the per-customer cap counted here, tasks followed to their results.</summary>
public sealed class BroadcastTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Broadcast_MeetsTheCap_SkipsThoseAtIt_RepostSendsNothingTwice()
    {
        // WeCom set to one mass message a day per customer; two customers per call, so three contacts take two calls.
        var (store, _) = await SegmentData.StartAsync(new() { ["Segments:CustomerCap"] = "day", ["Segments:BroadcastChunkSize"] = "2", ["Segments:BroadcastPageSize"] = "2" });
        store.Sandbox.Options.WeComCustomerCap = "day";
        await using var __ = store;
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("event"));
        var stems = Enumerable.Range(0, 4).Select(i => TestData.NewId("bc" + i)).ToList();
        var externals = new List<string>();
        foreach (var stem in stems)
        {
            await store.LoginAsync(stem);
            externals.Add((await WeComData.AddAsync(store, state, stem)).GetProperty("externalUserId").GetString()!);
        }

        // The fourth has no WeCom relation any more.
        await WeComData.DeleteAsync(store, externals[3], "staff.li", "customer");
        await store.IdleAsync();
        var everyone = await SegmentData.CreateSegmentAsync(store, "everyone", SegmentData.Rule(Facts.PaidOrderCount, "gte", 0));
        await Eventually.TrueAsync(async () => await SegmentData.SizeAsync(store, everyone) == 4, Wait, "the segment was back-filled");

        var first = await SegmentData.PostBroadcastAsync(store, everyone, "双十二预告", "bc-first");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await store.IdleAsync(Wait);
        var report = await SegmentData.GetAsync(store, $"/api/manage/broadcasts/{firstId}");
        Assert.Equal(3, report.GetProperty("targeted").GetInt64());
        Assert.Equal(1, report.GetProperty("skipped").GetProperty(SkipReasons.ContactLost).GetInt64());
        Assert.Equal(2, store.Sandbox.State.Count("wecom/externalcontact/add_msg_template")); // 3 customers in chunks of 2
        Assert.Equal(3, report.GetProperty("unconfirmed").GetInt64());

        // Re-posting the same broadcast sends nothing.
        var repost = await SegmentData.PostBroadcastAsync(store, everyone, "双十二预告", "bc-first");
        Assert.Equal(HttpStatusCode.OK, repost.StatusCode);
        Assert.Equal(firstId, (await repost.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        await store.IdleAsync(Wait);
        Assert.Equal(2, store.Sandbox.State.Count("wecom/externalcontact/add_msg_template"));

        // The staff member confirms; following the tasks finds what reached whom.
        await SegmentData.ConfirmAllAsync(store);
        await Eventually.TrueAsync(async () => (await SegmentData.GetAsync(store, $"/api/manage/broadcasts/{firstId}")).GetProperty("sent").GetInt64() == 3, Wait, "the sends were followed");

        // A second broadcast the same day: everyone it could reach is at WeCom's cap, counted here, so nothing is sent.
        var second = await SegmentData.PostBroadcastAsync(store, everyone, "再提醒一次");
        var secondId = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await store.IdleAsync(Wait);
        var capped = await SegmentData.GetAsync(store, $"/api/manage/broadcasts/{secondId}");
        Assert.Equal(0, capped.GetProperty("targeted").GetInt64());
        Assert.Equal(3, capped.GetProperty("skipped").GetProperty(SkipReasons.Cap).GetInt64());
        Assert.Equal(2, store.Sandbox.State.Count("wecom/externalcontact/add_msg_template"));
        var skipped = await SegmentData.GetAsync(store, $"/api/manage/broadcasts/{secondId}?skipped=true");
        Assert.Equal(SkipReasons.Cap, skipped.GetProperty("skipped").GetProperty(store.OpenIdOf(stems[0])).GetString());
        Assert.Equal(SkipReasons.ContactLost, skipped.GetProperty("skipped").GetProperty(store.OpenIdOf(stems[3])).GetString());
    }

    [Fact]
    public async Task Broadcast_WithCoupon_EachRecipientOnce_PurchaseWithinTheWeekCredited()
    {
        var (store, _) = await SegmentData.StartAsync();
        await using var __ = store;
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("event"));
        var stem = TestData.NewId("bcc");
        await store.LoginAsync(stem);
        await WeComData.AddAsync(store, state, stem);
        await store.IdleAsync();
        var everyone = await SegmentData.CreateSegmentAsync(store, "everyone", SegmentData.Rule(Facts.WecomLinked, "eq", true));
        await Eventually.TrueAsync(async () => await SegmentData.SizeAsync(store, everyone) == 1, Wait, "the segment was back-filled");
        var campaign = await WeComData.CampaignAsync(store, amountOff: 300);
        var request = AttributionData.Manage(HttpMethod.Post, "/api/manage/broadcasts",
            TestData.Json(JsonSerializer.Serialize(new { segmentId = everyone, text = "回来看看，送你 3 元券", couponCampaignId = campaign, miniProgram = new { title = "新茶上市", page = "pages/index/index" } })));
        var created = await store.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await store.IdleAsync(Wait);
        var token = await store.LoginAsync(stem);
        Assert.Equal(1, CouponData.CountOf(await CouponData.WalletAsync(store, token), campaign));
        var task = Assert.Single(await SegmentData.GroupMessagesAsync(store));
        Assert.Equal(1, task.GetProperty("attachments").GetInt32()); // the Mini Program card

        // A purchase in the week after it is credited to the broadcast, once.
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 4200, 10, 1));
        var placed = await store.PlaceAsync(token, TestData.NewId("k"), TestData.Order((sku, 1)));
        await store.PayAsync((await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!);
        await store.IdleAsync(Wait);
        var report = await SegmentData.GetAsync(store, $"/api/manage/broadcasts/{id}");
        Assert.Equal(1, report.GetProperty("purchasedWithin7Days").GetInt64());
        Assert.Equal(4200, report.GetProperty("purchasedGmv").GetInt64());
    }

    [Fact]
    public async Task Broadcast_BadInput_ProblemsAndNothingWritten()
    {
        var (store, _) = await SegmentData.StartAsync();
        await using var __ = store;
        var unknownSegment = await SegmentData.PostBroadcastAsync(store, "sg0000000000000000", "hi");
        Assert.Equal(HttpStatusCode.NotFound, unknownSegment.StatusCode);
        Assert.Equal("application/problem+json", unknownSegment.Content.Headers.ContentType?.MediaType);
        foreach (var body in new[] { """{"segmentId":"sg0000000000000000"}""", """{"segmentId":"x'--","text":"hi"}""", """{"segmentId":"sg0000000000000000","text":"hi","miniProgram":{"title":"t"}}""" })
        {
            var response = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/broadcasts", TestData.Json(body)));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var segment = await SegmentData.CreateSegmentAsync(store, "s", SegmentData.Rule(Facts.PaidOrderCount, "gte", 0));
        var first = await SegmentData.PostBroadcastAsync(store, segment, "one text", "same-key");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var reused = await SegmentData.PostBroadcastAsync(store, segment, "another text", "same-key");
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, "/api/manage/broadcasts/bc0000000000000000"))).StatusCode);
    }
}
