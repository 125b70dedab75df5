using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Application.Segments;
using WeStore.Domain.Messaging;
using WeStore.Domain.Segments;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Segments;

/// <summary>Member facts kept by their events, segments back-filled and kept incrementally, against the sandbox.</summary>
public sealed class SegmentTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Facts_EachEvent_UpdatesItsFact()
    {
        var (store, clock) = await SegmentData.StartAsync();
        await using var _ = store;
        var stem = TestData.NewId("facts");
        var openId = store.OpenIdOf(stem);

        // Added through a contact-me code first: the acquisition is that code's channel.
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("kol"));
        var add = await WeComData.AddAsync(store, state, stem);
        var externalUserId = add.GetProperty("externalUserId").GetString()!;
        var token = await store.LoginAsync(stem);
        await store.IdleAsync();
        var joined = await SegmentData.FactsAsync(store, openId);
        Assert.NotNull(joined);
        Assert.NotNull(joined.JoinedAt);
        Assert.Equal("kol", joined.AcquisitionChannel);
        Assert.Equal(state, joined.AcquisitionCode);
        Assert.True(joined.WecomLinked);
        Assert.Equal("staff.li", joined.WecomStaff);
        Assert.Equal(externalUserId, joined.WecomExternalUserId);
        Assert.Equal(Stages.New, joined.StageAt(clock.GetUtcNow(), new StageRules()));
        Assert.Equal(0, joined.PaidOrderCount);

        // A claimed coupon is an unused one.
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(100));
        await CouponData.ClaimedIdAsync(store, token, campaign);
        await store.IdleAsync();
        Assert.Equal(1, (await SegmentData.FactsAsync(store, openId))!.UnusedCouponsAt(clock.GetUtcNow()));

        // A payment: count, dates, province, spend, points and tier.
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 12_000, 10, 1));
        var placed = await store.PlaceAsync(token, TestData.NewId("k"), TestData.Order((sku, 1)));
        var orderNo = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        await store.PayAsync(orderNo);
        await store.IdleAsync();
        var paid = (await SegmentData.FactsAsync(store, openId))!;
        Assert.Equal(1, paid.PaidOrderCount);
        Assert.NotNull(paid.LastPaidAt);
        Assert.Equal(paid.FirstPaidAt, paid.LastPaidAt);
        Assert.Equal("广东省", paid.Province);
        Assert.Equal(12_000, paid.Spend12mAt(clock.GetUtcNow()));
        Assert.True(paid.PointsBalance > 0);
        Assert.False(string.IsNullOrEmpty(paid.Tier));
        Assert.Equal(Stages.FirstPurchase, paid.StageAt(clock.GetUtcNow(), new StageRules()));
        // The stage is mirrored to the contact's WeCom tags with mark_tag: the new stage's tag on, the old one's off.
        await Eventually.TrueAsync(async () =>
        {
            var tags = (await WeComData.ContactAsync(store, externalUserId)).GetProperty("tags").GetProperty("staff.li").EnumerateArray().Select(t => t.GetString()).ToList();
            return tags.Contains(Stages.FirstPurchase) && !tags.Contains(Stages.New) && tags.Contains("kol");
        }, Wait, "the lifecycle tag was mirrored");

        // Following the Official Account, then leaving it.
        var code = (await OfficialAccountData.CreateCodeAsync(store, OfficialAccountData.Code())).GetProperty("sceneStr").GetString();
        var follow = await OfficialAccountData.ScanAsync(store, code, stem);
        await store.IdleAsync();
        Assert.True((await SegmentData.FactsAsync(store, openId))!.OaFollower);
        await OfficialAccountData.UnfollowAsync(store, follow.GetProperty("openid").GetString()!);
        await store.IdleAsync();
        Assert.False((await SegmentData.FactsAsync(store, openId))!.OaFollower);

        // The customer deletes the staff member.
        await WeComData.DeleteAsync(store, externalUserId, "staff.li", "customer");
        await store.IdleAsync();
        Assert.False((await SegmentData.FactsAsync(store, openId))!.WecomLinked);

        // 61 days without an order: the daily run moves the member to lapsing, through the day index.
        var lapsing = await SegmentData.CreateSegmentAsync(store, "lapsing", SegmentData.Rule(Facts.Stage, "eq", Stages.Lapsing));
        SegmentData.Advance(store, clock, TimeSpan.FromDays(62));
        var due = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/segments/due"));
        Assert.Equal(HttpStatusCode.OK, due.StatusCode);
        await store.IdleAsync();
        await Eventually.TrueAsync(async () => await SegmentData.SizeAsync(store, lapsing) == 1, Wait, "the member lapsed");
        Assert.Contains(lapsing, (await SegmentData.FactsAsync(store, openId))!.Segments.Keys);
    }

    [Fact]
    public async Task Segment_CreatedAfterMembers_BackfilledPagedAndKeptIncrementally()
    {
        var (store, _) = await SegmentData.StartAsync();
        await using var __ = store;
        var stems = Enumerable.Range(0, 5).Select(i => TestData.NewId("bf" + i)).ToList();
        var tokens = new List<string>();
        foreach (var stem in stems) tokens.Add(await store.LoginAsync(stem));
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 100, 1));
        foreach (var token in tokens.Take(2)) await PayAsync(store, token, sku);
        await store.IdleAsync();

        var buyers = await SegmentData.CreateSegmentAsync(store, "buyers", SegmentData.Rule(Facts.PaidOrderCount, "gte", 1));
        var fresh = await SegmentData.CreateSegmentAsync(store, "new", SegmentData.Rule(Facts.Stage, "eq", Stages.New));
        await Eventually.TrueAsync(async () => (await SegmentData.GetAsync(store, $"/api/manage/segments/{buyers}")).GetProperty("backfilled").GetBoolean(), Wait, "the back-fill finished");
        await store.IdleAsync();
        Assert.Equal(2, await SegmentData.SizeAsync(store, buyers));
        Assert.Equal(3, await SegmentData.SizeAsync(store, fresh));
        var members = await SegmentData.MembersAsync(store, buyers, pageSize: 1);
        Assert.Equal(stems.Take(2).Select(store.OpenIdOf).Order(), members.Order());

        // A third buyer moves from one segment to the other, by their own facts change only.
        await PayAsync(store, tokens[2], sku);
        await store.IdleAsync();
        Assert.Equal(3, await SegmentData.SizeAsync(store, buyers));
        Assert.Equal(2, await SegmentData.SizeAsync(store, fresh));
        Assert.Equal(stems.Skip(3).Select(store.OpenIdOf).Order(), (await SegmentData.MembersAsync(store, fresh, pageSize: 10)).Order());
        Assert.Empty(await Invariants.CheckAsync(store, [], []));

        // The checker sees a membership row no facts account for (and the size that no longer matches it).
        var segmentsTable = await store.TableAsync(WeStore.Storage.TableNames.Segments);
        await segmentsTable.AddEntityAsync(new Azure.Data.Tables.TableEntity($"m|{buyers}|0", "ostray0000000000000000000000"));
        var violations = await Invariants.CheckAsync(store, [], []);
        Assert.Contains(violations, v => v.Contains(buyers, StringComparison.Ordinal) && v.Contains("size", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains(buyers, StringComparison.Ordinal) && v.Contains("facts do not name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Segment_BadInput_ProblemsAndNothingWritten()
    {
        var (store, _) = await SegmentData.StartAsync();
        await using var __ = store;
        foreach (var body in new[]
        {
            """{"name":"x","rules":[{"fact":"age","op":"gte","value":18}]}""",
            """{"name":"x","rules":[{"fact":"tier","op":"regex","value":".*"}]}""",
            """{"name":"x","rules":[{"fact":"lastPaidAt","op":"withinDays","value":"30"}]}""",
            """{"name":"x","rules":[]}""",
            """{"name":"x","rules":[{"fact":"province","op":"in","value":"浙江省"}]}""",
            """{"name":"x","rules":null}""",
            """[1,2,3]""",
        })
        {
            var response = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/segments", TestData.Json(body)));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Empty(await store.Service<ISegmentStore>().ListAsync(default));
        Assert.Equal(HttpStatusCode.NotFound, (await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, "/api/manage/segments/sg0000000000000000"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, "/api/manage/segments/..%2F..%2Fx/members"))).StatusCode);
        var segment = await SegmentData.CreateSegmentAsync(store, "all", SegmentData.Rule(Facts.PaidOrderCount, "gte", 0));
        var badPage = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, $"/api/manage/segments/{segment}/members?pageSize=100000"));
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        // A forged token reads from the start; it never reaches a query as anything but a bounded key.
        var forged = await SegmentData.GetAsync(store, $"/api/manage/segments/{segment}/members?continuationToken=" + Uri.EscapeDataString("' or PartitionKey ne '"));
        Assert.Empty(forged.GetProperty("members").EnumerateArray());
    }

    /// <summary>
    /// Random events for a few members, sent at once (so one member's changes race each other), with the clock moved
    /// and the daily run between rounds: the membership rows equal evaluating every rule on every member's facts.
    /// </summary>
    [Fact]
    public async Task Membership_RandomConcurrentEvents_EqualsFromScratch()
    {
        var (store, clock) = await SegmentData.StartAsync();
        await using var _ = store;
        var stems = Enumerable.Range(0, 4).Select(i => TestData.NewId("pr" + i)).ToList();
        foreach (var stem in stems) await store.LoginAsync(stem);
        var ids = new[]
        {
            await SegmentData.CreateSegmentAsync(store, "buyers", SegmentData.Rule(Facts.PaidOrderCount, "gte", 2)),
            await SegmentData.CreateSegmentAsync(store, "recent", SegmentData.Rule(Facts.LastPaidAt, "withinDays", 3)),
            await SegmentData.CreateSegmentAsync(store, "zj-wecom", SegmentData.Rule(Facts.Province, "eq", "浙江省"), SegmentData.Rule(Facts.WecomLinked, "eq", true)),
            await SegmentData.CreateSegmentAsync(store, "lapsing", SegmentData.Rule(Facts.Stage, "in", new[] { Stages.Lapsing, Stages.Churned })),
            await SegmentData.CreateSegmentAsync(store, "followers", SegmentData.Rule(Facts.OaFollower, "eq", true), SegmentData.Rule(Facts.Stage, "ne", Stages.New)),
        };
        await store.IdleAsync();
        var random = new Random(20261201);
        var messages = store.Service<IMessageSender>();
        var order = 0;
        for (var round = 0; round < 6; round++)
        {
            var now = clock.GetUtcNow();
            var batch = Enumerable.Range(0, 12).Select(i =>
            {
                var openId = store.OpenIdOf(stems[random.Next(stems.Count)]);
                var at = now.AddSeconds(i);
                return random.Next(6) switch
                {
                    0 or 1 => new MemberFactsMessage(openId, FactChanges.Paid, at, "N" + order++, random.Next(2) == 0 ? "浙江省" : "广东省", 1000),
                    2 => new MemberFactsMessage(openId, FactChanges.WecomAdded, at, StaffUserId: "staff.li", ExternalUserId: "wm" + openId[^8..]),
                    3 => new MemberFactsMessage(openId, FactChanges.WecomLost, at, StaffUserId: "staff.li", ExternalUserId: "wm" + openId[^8..]),
                    4 => new MemberFactsMessage(openId, FactChanges.Followed, at, "oa" + openId[^8..]),
                    _ => new MemberFactsMessage(openId, FactChanges.Unfollowed, at, "oa" + openId[^8..]),
                };
            }).ToList();
            await Task.WhenAll(batch.Select(m => messages.SendAsync(SegmentQueues.MemberFacts, m)));
            await store.IdleAsync(Wait);
            SegmentData.Advance(store, clock, TimeSpan.FromDays(random.Next(0, 40)));
            Assert.Equal(HttpStatusCode.OK, (await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/segments/due"))).StatusCode);
            await store.IdleAsync(Wait);
        }

        // From scratch: every member's facts, evaluated on every rule (the test may scan; the product does not).
        var definitions = await store.Service<ISegmentStore>().ListAsync(default);
        var when = clock.GetUtcNow();
        foreach (var id in ids)
        {
            var definition = definitions.Single(d => d.Id == id);
            var expected = new List<string>();
            foreach (var stem in stems)
            {
                var facts = await SegmentData.FactsAsync(store, store.OpenIdOf(stem));
                if (facts is not null && definition.Matches(facts.ValuesAt(when, new StageRules()), when)) expected.Add(facts.OpenId);
            }

            var rows = await SegmentData.MembersAsync(store, id, pageSize: 2);
            Assert.True(expected.Order().SequenceEqual(rows.Order()), $"{definition.Name}: expected [{string.Join(',', expected)}], rows [{string.Join(',', rows)}]");
            Assert.Equal(expected.Count, await SegmentData.SizeAsync(store, id));
        }
    }

    private static async Task PayAsync(StoreFixture store, string token, string sku)
    {
        var placed = await store.PlaceAsync(token, TestData.NewId("k"), TestData.Order((sku, 1)));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        await store.PayAsync((await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!);
    }
}
