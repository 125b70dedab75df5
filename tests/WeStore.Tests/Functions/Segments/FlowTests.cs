using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Application.Segments;
using WeStore.Domain.Segments;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Segments;

/// <summary>Lifecycle flows on a moved clock: steps when due, a purchase stopping a run, duplicates acting once.</summary>
public sealed class FlowTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Flow_PurchaseBetweenSteps_BuyerGetsNoCouponTheOtherDoes()
    {
        var (store, clock) = await SegmentData.StartAsync();
        await using var _ = store;
        var campaign = await WeComData.CampaignAsync(store, amountOff: 800);
        var flow = await SegmentData.CreateFlowAsync(store, FlowTriggers.WecomAdded,
            [SegmentData.WecomStep(48, "我们的故事：一颗咖啡豆的旅程"), SegmentData.CouponStep(120, campaign)], [StopReasons.Purchased, StopReasons.ContactLost]);
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("packaging"));
        var buyer = TestData.NewId("buyer");
        var other = TestData.NewId("other");
        var tokens = new Dictionary<string, string>();
        var externals = new Dictionary<string, string>();
        foreach (var stem in new[] { buyer, other })
        {
            tokens[stem] = await store.LoginAsync(stem);
            externals[stem] = (await WeComData.AddAsync(store, state, stem)).GetProperty("externalUserId").GetString()!;
        }

        await store.IdleAsync();
        var entered = await SegmentData.GetAsync(store, $"/api/manage/flows/{flow}");
        Assert.Equal(2, entered.GetProperty("entered").GetInt64());
        Assert.Equal(2, entered.GetProperty("running").GetInt64());
        Assert.Empty(await SegmentData.GroupMessagesAsync(store)); // nothing before day 2

        // Day 2: the story, to each contact, from their own staff member.
        SegmentData.Advance(store, clock, TimeSpan.FromHours(49));
        await Eventually.TrueAsync(async () => (await SegmentData.GroupMessagesAsync(store)).Length == 2, Wait, "the day-2 messages were sent");
        var stories = await SegmentData.GroupMessagesAsync(store);
        Assert.All(stories, m => Assert.Equal("staff.li", m.GetProperty("sender").GetString()));
        Assert.Equal(1, SegmentData.MessagesTo(stories, externals[buyer]));
        Assert.Equal(1, SegmentData.MessagesTo(stories, externals[other]));

        // Day 3: one of them buys.
        SegmentData.Advance(store, clock, TimeSpan.FromHours(24));
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 5000, 10, 1));
        tokens[buyer] = await store.LoginAsync(buyer); // the session from day 0 has expired
        var placed = await store.PlaceAsync(tokens[buyer], TestData.NewId("k"), TestData.Order((sku, 1)));
        Assert.True(placed.StatusCode == System.Net.HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        await store.PayAsync((await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!);
        await store.IdleAsync();

        // Day 5: the coupon, for the one who did not buy.
        SegmentData.Advance(store, clock, TimeSpan.FromHours(50));
        tokens[buyer] = await store.LoginAsync(buyer);
        tokens[other] = await store.LoginAsync(other);
        await Eventually.TrueAsync(async () => (await SegmentData.GetAsync(store, $"/api/manage/flows/{flow}")).GetProperty("running").GetInt64() == 0, Wait, "both runs ended");
        var report = await SegmentData.GetAsync(store, $"/api/manage/flows/{flow}");
        Assert.Equal(1, report.GetProperty("finished").GetInt64());
        Assert.Equal(1, report.GetProperty("stopped").GetProperty(StopReasons.Purchased).GetInt64());
        Assert.Equal(1, report.GetProperty("purchasedWithin7Days").GetInt64());
        Assert.Equal(5000, report.GetProperty("purchasedGmv").GetInt64());
        Assert.Equal(0, CouponData.CountOf(await CouponData.WalletAsync(store, tokens[buyer]), campaign));
        Assert.Equal(1, CouponData.CountOf(await CouponData.WalletAsync(store, tokens[other]), campaign));
        Assert.Equal(2, (await SegmentData.GroupMessagesAsync(store)).Length); // nothing more was sent
    }

    [Fact]
    public async Task FlowStep_20DuplicateMessages_OneSend()
    {
        var (store, clock) = await SegmentData.StartAsync();
        await using var _ = store;
        var flow = await SegmentData.CreateFlowAsync(store, FlowTriggers.WecomAdded, [SegmentData.WecomStep(24, "第二天好")], []);
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("shelf"));
        var stem = TestData.NewId("dup");
        await store.LoginAsync(stem);
        var add = await WeComData.AddAsync(store, state, stem);
        await store.IdleAsync();
        var facts = (await SegmentData.FactsAsync(store, store.OpenIdOf(stem)))!;
        var entry = Assert.Single(facts.Entries);

        SegmentData.Advance(store, clock, TimeSpan.FromHours(25));
        var step = new FlowStepMessage(flow, facts.OpenId, entry.Occurrence, 0);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.RunQueueFunctionAsync("RunFlowStepFunction", step)));
        await store.IdleAsync(Wait);
        await Eventually.TrueAsync(async () => (await SegmentData.GetAsync(store, $"/api/manage/flows/{flow}")).GetProperty("finished").GetInt64() == 1, Wait, "the run finished");

        Assert.Equal(1, store.Sandbox.State.Count("wecom/externalcontact/add_msg_template"));
        var sent = Assert.Single(await SegmentData.GroupMessagesAsync(store));
        Assert.Equal(1, SegmentData.MessagesTo([sent], add.GetProperty("externalUserId").GetString()!));
        var report = await SegmentData.GetAsync(store, $"/api/manage/flows/{flow}");
        Assert.Equal(1, report.GetProperty("entered").GetInt64());
        Assert.Equal(0, report.GetProperty("running").GetInt64());
    }

    [Fact]
    public async Task Flow_JoinedWithSubscriptionMessage_OnlyWithAGrant_ThenCouponOncePerMemberAndStep()
    {
        var (store, clock) = await SegmentData.StartAsync();
        await using var _ = store;
        var campaign = await WeComData.CampaignAsync(store);
        var flow = await SegmentData.CreateFlowAsync(store, FlowTriggers.Joined,
        [
            new { afterHours = 0, action = new { type = "subscribeMessage", templateId = "tmpl-welcome", page = "pages/index/index", data = new Dictionary<string, string> { ["thing1"] = "欢迎入会" } } },
            SegmentData.CouponStep(1, campaign),
        ], []);
        var granted = TestData.NewId("grant");
        var ungranted = TestData.NewId("nogrant");
        var grants = store.Service<WeStore.Domain.Notifications.ISubscriptionGrants>();
        await grants.ApplyAsync(store.OpenIdOf(granted), "e1", [new WeStore.Domain.Notifications.GrantChange("tmpl-welcome", true)], default);
        await store.LoginAsync(granted);
        await store.LoginAsync(ungranted);
        await store.IdleAsync();
        await Eventually.TrueAsync(() => store.Sandbox.State.Count("cgi-bin/message/subscribe/send") == 1, Wait, "the granted member's message was sent");
        Assert.Equal(0, await grants.CountAsync(store.OpenIdOf(granted), "tmpl-welcome", default)); // the grant is spent

        SegmentData.Advance(store, clock, TimeSpan.FromHours(2));
        await Eventually.TrueAsync(async () => (await SegmentData.GetAsync(store, $"/api/manage/flows/{flow}")).GetProperty("finished").GetInt64() == 2, Wait, "both runs finished");
        // A copy of the coupon step, delivered again, issues nothing more.
        var facts = (await SegmentData.FactsAsync(store, store.OpenIdOf(ungranted)))!;
        await store.RunQueueFunctionAsync("RunFlowStepFunction", new FlowStepMessage(flow, facts.OpenId, "joined", 1));
        foreach (var stem in new[] { granted, ungranted })
        {
            Assert.Equal(1, CouponData.CountOf(await CouponData.WalletAsync(store, await store.LoginAsync(stem)), campaign));
        }

        var run = await store.Service<IFlowStore>().GetRunAsync(flow, facts.OpenId, "joined", default);
        Assert.Equal(["skipped:noGrant", "issued"], run!.Results);
        Assert.Equal(1, store.Sandbox.State.Count("cgi-bin/message/subscribe/send"));
    }

    [Fact]
    public async Task Flow_EnteredSegment_OnceEachEntry_StopsWhenTheMemberLeaves()
    {
        var (store, clock) = await SegmentData.StartAsync();
        await using var _ = store;
        var campaign = await WeComData.CampaignAsync(store);
        var followers = await SegmentData.CreateSegmentAsync(store, "followers", SegmentData.Rule(Facts.OaFollower, "eq", true));
        var flow = await SegmentData.CreateFlowAsync(store, FlowTriggers.EnteredSegment, [SegmentData.CouponStep(24, campaign)], [StopReasons.LeftSegment], followers);
        var stem = TestData.NewId("seg");
        await store.LoginAsync(stem);
        var code = (await OfficialAccountData.CreateCodeAsync(store, OfficialAccountData.Code())).GetProperty("sceneStr").GetString();
        var follow = await OfficialAccountData.ScanAsync(store, code, stem);
        await store.IdleAsync();
        var facts = await SegmentData.FactsAsync(store, store.OpenIdOf(stem));
        Assert.True(1 == (await SegmentData.GetAsync(store, $"/api/manage/flows/{flow}")).GetProperty("entered").GetInt64(),
            $"follower {facts?.OaFollower}, segments [{string.Join(',', facts?.Segments.Keys ?? [])}], entries [{string.Join(',', facts?.Entries.Select(e => e.Id + "/" + e.Occurrence) ?? [])}]");

        // They leave before the step: the step stops the run instead of issuing.
        await OfficialAccountData.UnfollowAsync(store, follow.GetProperty("openid").GetString()!);
        await store.IdleAsync();
        SegmentData.Advance(store, clock, TimeSpan.FromHours(25));
        await Eventually.TrueAsync(async () => (await SegmentData.GetAsync(store, $"/api/manage/flows/{flow}")).GetProperty("running").GetInt64() == 0, Wait, "the run stopped");
        var report = await SegmentData.GetAsync(store, $"/api/manage/flows/{flow}");
        var after = (await SegmentData.FactsAsync(store, store.OpenIdOf(stem)))!;
        var run = await store.Service<IFlowStore>().GetRunAsync(flow, after.OpenId, after.Entries.Single().Occurrence, default);
        Assert.True(1 == report.GetProperty("stopped").GetProperty(StopReasons.LeftSegment).GetInt64(),
            $"{report}; follower {after.OaFollower}, segments [{string.Join(',', after.Segments.Keys)}], run {run?.State} {run?.StopReason} [{string.Join(';', run?.Results ?? [])}]");
        Assert.Equal(0, CouponData.CountOf(await CouponData.WalletAsync(store, await store.LoginAsync(stem)), campaign));
    }
}
