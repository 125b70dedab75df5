using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Domain.Catalog;
using WeStore.Domain.Orders;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Coupons;

public sealed class CouponFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Claim_1000ConcurrentFrom300Members_Exactly100AndNoMemberOverLimit()
    {
        var store = shared.Store;
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(500, totalStock: 100, perMemberLimit: 1));
        var stems = Enumerable.Range(0, 300).Select(i => TestData.NewId("m" + i)).ToList();
        var tokens = await Task.WhenAll(stems.Select(store.LoginAsync));

        var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => CouponData.ClaimAsync(store, tokens[i % 300], campaign)));

        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var members = await store.TableAsync(TableNames.Members);
        var perMember = new List<int>();
        foreach (var stem in stems)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {store.OpenIdOf(stem)} and RowKey ge {"coupon|"} and RowKey lt {"coupon}"}");
            perMember.Add(await members.QueryAsync<TableEntity>(filter).CountAsync());
        }

        Assert.Equal(100, perMember.Sum());
        Assert.True(perMember.Max() <= 1);
        var view = await (await store.Client.SendAsync(ManageGet($"/api/manage/coupons/campaigns/{campaign}"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(100, view.GetProperty("claimed").GetInt32());
    }

    [Fact]
    public async Task OneCoupon_10ConcurrentOrders_OneGetsItOthers409AndNoStockHeld()
    {
        var store = shared.Store;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 3000, 100, 1));
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(500));
        var token = await store.LoginAsync(TestData.NewId("buyer"));
        var couponId = await CouponData.ClaimedIdAsync(store, token, campaign);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => store.PlaceAsync(token, "k" + i, CouponData.OrderWithCoupon(couponId, (sku, 1)))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var created = await responses.Single(r => r.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2500, created.GetProperty("amounts").GetProperty("payable").GetInt64());
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((99L, 1L), (level!.Available, level.Held));
        var wallet = await CouponData.WalletAsync(store, token);
        Assert.Equal(1, wallet.GetProperty("reserved").GetArrayLength());
    }

    [Fact]
    public async Task Coupon_TimeoutClosesOrder_CouponReturned_PaidOrder_CouponUsed()
    {
        var store = shared.Store;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 3000, 100, 1));
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(500, perMemberLimit: 2));
        var stem = TestData.NewId("buyer");
        var token = await store.LoginAsync(stem);
        var couponId = await CouponData.ClaimedIdAsync(store, token, campaign);
        var first = await (await store.PlaceAsync(token, "k1", CouponData.OrderWithCoupon(couponId, (sku, 1)))).Content.ReadFromJsonAsync<JsonElement>();

        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage(store.OpenIdOf(stem), first.GetProperty("orderNo").GetString()!, [sku]));

        Assert.Equal(1, (await CouponData.WalletAsync(store, token)).GetProperty("available").GetArrayLength());
        var second = await store.PlaceAsync(token, "k2", CouponData.OrderWithCoupon(couponId, (sku, 1)));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        await store.PayAsync((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!);
        await Eventually.TrueAsync(() => CouponData.WalletAsync(store, token).Result.GetProperty("used").GetArrayLength() == 1,
            TimeSpan.FromSeconds(15), "the order-paid consumer spent the coupon");
    }

    [Fact]
    public async Task Coupon_BelowMinimumOrOtherMembers_RefusedAndNothingHeld()
    {
        var store = shared.Store;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 100, 1));
        var campaign = await CouponData.CreateCampaignAsync(store, new { name = "满50减10", type = "threshold", amountOff = 1000, minSpend = 5000, totalStock = 10, perMemberLimit = 1, issueOn = "claim", validDays = 7 });
        var owner = await store.LoginAsync(TestData.NewId("owner"));
        var other = await store.LoginAsync(TestData.NewId("other"));
        var couponId = await CouponData.ClaimedIdAsync(store, owner, campaign);

        var belowMinimum = await store.PlaceAsync(owner, "k1", CouponData.OrderWithCoupon(couponId, (sku, 2)));
        var someoneElses = await store.PlaceAsync(other, "k1", CouponData.OrderWithCoupon(couponId, (sku, 9)));
        var reached = await store.PlaceAsync(owner, "k2", CouponData.OrderWithCoupon(couponId, (sku, 5)));

        Assert.Equal(HttpStatusCode.BadRequest, belowMinimum.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, someoneElses.StatusCode);
        Assert.Equal(4000, (await reached.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("amounts").GetProperty("payable").GetInt64());
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((95L, 5L), (level!.Available, level.Held));
    }

    [Fact]
    public async Task ExchangeCode_RedeemedOnce_ReplayAndUnknown_Refused()
    {
        var store = shared.Store;
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(300, perMemberLimit: 5, issueOn: "code"));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/coupons/campaigns/{campaign}/codes") { Content = TestData.Json("""{"count":3}""") };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        var codes = (await (await store.Client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        var alice = await store.LoginAsync(TestData.NewId("alice"));
        var bob = await store.LoginAsync(TestData.NewId("bob"));
        HttpRequestMessage Redeem(string token, string code) => TestData.Authorized(HttpMethod.Post, "/api/coupons/redeem-code", token, TestData.Json(JsonSerializer.Serialize(new { code })));

        var first = await store.Client.SendAsync(Redeem(alice, codes[0]));
        var replay = await store.Client.SendAsync(Redeem(alice, codes[0]));
        var stolen = await store.Client.SendAsync(Redeem(bob, codes[0]));
        var guessed = await store.Client.SendAsync(Redeem(bob, campaign + "-AAAAAAAAAAAA"));
        var hostile = await store.Client.SendAsync(Redeem(bob, "x' or RowKey ne '"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, guessed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, hostile.StatusCode);
        Assert.All(codes, c => Assert.Matches("^c[a-z0-9]{11}-[A-Z2-9]{12}$", c));
    }

    [Fact]
    public async Task Welcome_FirstLoginOnly_PostPurchase_OncePerOrder()
    {
        // The campaigns are created on a first host, then named in the settings of a second.
        string welcome = string.Empty, post = string.Empty;
        await using var store = await StoreFixture.StartPreparedAsync(async setup =>
        {
            welcome = await CouponData.CreateCampaignAsync(setup, CouponData.Fixed(800, issueOn: "welcome"));
            post = await CouponData.CreateCampaignAsync(setup, CouponData.Fixed(200, perMemberLimit: 10, issueOn: "postPurchase"));
            return new() { ["Coupons:WelcomeCampaignId"] = welcome, ["Coupons:PostPurchaseCampaignId"] = post };
        });
        var stem = TestData.NewId("newbie");

        var token = await store.LoginAsync(stem);
        await store.LoginAsync(stem);
        var (_, orderNo, _, _) = (await PlaceForAsync(store, token));
        await store.PayAsync(orderNo);
        await store.RunQueueFunctionAsync("FulfilPaidOrderFunction", new OrderPaidMessage(store.OpenIdOf(stem), orderNo)); // a redelivery

        await Eventually.TrueAsync(() => CouponData.WalletAsync(store, token).Result.GetProperty("available").GetArrayLength() == 2,
            TimeSpan.FromSeconds(15), "the welcome and one post-purchase coupon are in the wallet");
        await store.IdleAsync(); // nothing left running that could add a second post-purchase coupon
        var names = (await CouponData.WalletAsync(store, token)).GetProperty("available").EnumerateArray().Select(c => c.GetProperty("campaignId").GetString()).ToList();
        Assert.Equal(1, names.Count(n => n == welcome));
        Assert.Equal(1, names.Count(n => n == post));
    }

    [Fact]
    public async Task Welcome_StorageFailsDuringFirstLogin_503NoMember_NextLoginIsNewAndDeliversTheCoupon()
    {
        var welcome = string.Empty;
        await using var store = await StoreFixture.StartPreparedAsync(async setup =>
        {
            welcome = await CouponData.CreateCampaignAsync(setup, CouponData.Fixed(800, totalStock: 10, issueOn: "welcome"));
            return new() { ["Coupons:WelcomeCampaignId"] = welcome };
        }, s => FlakyCampaigns.Install(s, failures: 3));
        var stem = TestData.NewId("newbie");

        using var first = await store.Client.PostAsync("/api/auth/login", TestData.LoginBody(TestData.ShopperCode(stem)));
        var memberAfterFailure = await store.Service<WeStore.Domain.Members.IMemberRepository>().GetAsync(store.OpenIdOf(stem), default);
        using var second = await store.Client.PostAsync("/api/auth/login", TestData.LoginBody(TestData.ShopperCode(stem)));
        var login = await second.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Null(memberAfterFailure);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(login.GetProperty("isNewMember").GetBoolean());
        var wallet = await CouponData.WalletAsync(store, login.GetProperty("token").GetString()!);
        Assert.Equal(welcome, Assert.Single(wallet.GetProperty("available").EnumerateArray()).GetProperty("campaignId").GetString());
        Assert.Empty(await Invariants.CheckAsync(store, [], [], [welcome]));
    }

    [Fact]
    public async Task Automatic_ClaimAppliedButWalletWriteLost_RepeatByKeyDeliversIt_NoSecondCoupon()
    {
        var store = shared.Store;
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(800, issueOn: "welcome"));
        var openId = store.OpenIdOf(TestData.NewId("newbie"));
        var repository = store.Service<WeStore.Domain.Coupons.ICouponCampaignRepository>();
        // The claim batch was applied, its answer lost, so the coupon never reached the wallet.
        var slice = await repository.GetSliceAsync(campaign, 0, default);
        Assert.Equal(WeStore.Domain.Coupons.ClaimWrite.Written,
            await repository.TryClaimAsync(slice!, openId, 1, "cplost0001", DateTimeOffset.UtcNow, "welcome|" + openId, null, default));

        await store.Service<WeStore.Application.Coupons.CouponIssuance>().IssueAutomaticallyAsync(campaign, openId, "welcome|" + openId, default);

        Assert.NotNull(await store.Service<WeStore.Domain.Coupons.ICouponRepository>().GetAsync(openId, "cplost0001", default));
        Assert.Single(await store.Service<WeStore.Domain.Coupons.ICouponRepository>().ListAsync(openId, default));
        Assert.Empty(await Invariants.CheckAsync(store, [], [], [campaign]));
    }

    [Theory]
    [InlineData("paused")]
    [InlineData("out of stock")]
    public async Task Automatic_ClaimAppliedAnswerLostThenCampaignStops_RepeatStillDeliversIt(string stop)
    {
        var store = shared.Store;
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(800, totalStock: 1, issueOn: "welcome"));
        var openId = store.OpenIdOf(TestData.NewId("newbie"));
        var repository = store.Service<WeStore.Domain.Coupons.ICouponCampaignRepository>();
        // The claim batch was applied (here it takes the only unit), its answer lost; then the campaign stops issuing.
        var slice = await repository.GetSliceAsync(campaign, 0, default);
        Assert.Equal(WeStore.Domain.Coupons.ClaimWrite.Written,
            await repository.TryClaimAsync(slice!, openId, 1, "cplost0002", DateTimeOffset.UtcNow, "welcome|" + openId, null, default));
        if (stop == "paused") Assert.True(await repository.TrySetPausedAsync(campaign, true, default));

        await store.Service<WeStore.Application.Coupons.CouponIssuance>().IssueAutomaticallyAsync(campaign, openId, "welcome|" + openId, default);

        // The member claimed it before the campaign stopped: it is theirs.
        Assert.NotNull(await store.Service<WeStore.Domain.Coupons.ICouponRepository>().GetAsync(openId, "cplost0002", default));
        Assert.Empty(await Invariants.CheckAsync(store, [], [], [campaign]));
    }

    [Fact]
    public async Task Wallet_AfterValidity_ShownExpiredAndRefusedAtCheckout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 3000, 10, 1));
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(500, validDays: 1));
        var stem = TestData.NewId("buyer");
        var couponId = await CouponData.ClaimedIdAsync(store, await store.LoginAsync(stem), campaign);

        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var token = await store.LoginAsync(stem); // the same member, with a token from the moved clock
        var wallet = await CouponData.WalletAsync(store, token);
        var order = await store.PlaceAsync(token, "k1", CouponData.OrderWithCoupon(couponId, (sku, 1)));

        Assert.Equal(0, wallet.GetProperty("available").GetArrayLength());
        Assert.Equal(couponId, wallet.GetProperty("expired")[0].GetProperty("couponId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, order.StatusCode);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((10L, 0L), (level!.Available, level.Held));
    }

    [Fact]
    public async Task Campaign_PausedThenResumed_ClaimsFollow_AndBadBodies400_NoKey401()
    {
        var store = shared.Store;
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(100, perMemberLimit: 3));
        var token = await store.LoginAsync(TestData.NewId("m"));
        using (var pause = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/coupons/campaigns/{campaign}/pause"))
        {
            pause.Headers.Add("x-functions-key", RunningHost.MasterKey);
            Assert.Equal(HttpStatusCode.OK, (await store.Client.SendAsync(pause)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await CouponData.ClaimAsync(store, token, campaign)).StatusCode);
        using (var resume = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/coupons/campaigns/{campaign}/resume"))
        {
            resume.Headers.Add("x-functions-key", RunningHost.MasterKey);
            await store.Client.SendAsync(resume);
        }

        Assert.Equal(HttpStatusCode.Created, (await CouponData.ClaimAsync(store, token, campaign)).StatusCode);
        var listed = await (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/coupons/campaigns", token))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(listed.GetProperty("campaigns").EnumerateArray(), c => c.GetProperty("id").GetString() == campaign);

        foreach (var bad in new[]
        {
            """{"name":"x","type":"percent","percentOff":150,"maxDiscount":100,"totalStock":1,"perMemberLimit":1,"issueOn":"claim","validDays":1}""",
            """{"name":"x","type":"percent","percentOff":10,"totalStock":1,"perMemberLimit":1,"issueOn":"claim","validDays":1}""",
            """{"name":"x","type":"fixed","amountOff":-5,"totalStock":1,"perMemberLimit":1,"issueOn":"claim","validDays":1}""",
            """{"name":"x","type":"threshold","amountOff":500,"minSpend":400,"totalStock":1,"perMemberLimit":1,"issueOn":"claim","validDays":1}""",
            """{"name":"x","type":"fixed","amountOff":5,"totalStock":0,"perMemberLimit":1,"issueOn":"claim","validDays":1}""",
            """{"name":"x","type":"fixed","amountOff":5,"totalStock":1,"perMemberLimit":1,"issueOn":"claim"}""",
            """{"name":"x","type":"bogus","amountOff":5,"totalStock":1,"perMemberLimit":1,"issueOn":"claim","validDays":1}""",
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/manage/coupons/campaigns") { Content = TestData.Json(bad) };
            request.Headers.Add("x-functions-key", RunningHost.MasterKey);
            Assert.Equal(HttpStatusCode.BadRequest, (await store.Client.SendAsync(request)).StatusCode);
        }

        var noKey = await store.Client.PostAsync("/api/manage/coupons/campaigns", TestData.Json(JsonSerializer.Serialize(CouponData.Fixed(1))));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await store.Client.PostAsync($"/api/coupons/campaigns/{campaign}/claim", null)).StatusCode);
    }

    [Fact]
    public async Task Claim_StorageRequests_Four()
    {
        var store = shared.Store;
        // Large enough that no counter shard runs dry: the cost of an uncontended claim.
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(100, totalStock: 10_000));
        var warm = await store.LoginAsync(TestData.NewId("w"));
        await CouponData.ClaimedIdAsync(store, warm, campaign);
        var token = await store.LoginAsync(TestData.NewId("m"));
        var counter = store.Service<StorageRequestCounter>();
        await store.IdleAsync();

        var before = counter.Total;
        await CouponData.ClaimedIdAsync(store, token, campaign);

        // The campaign's shard, the batch of claim and coupon, and the wallet's facts message (unused coupons are a segment fact).
        Assert.Equal(4, counter.Total - before);
    }

    private static HttpRequestMessage ManageGet(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        return request;
    }

    private static async Task<(string Token, string OrderNo, string Stem, string Sku)> PlaceForAsync(StoreFixture store, string token)
    {
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 10, 1));
        var response = await store.PlaceAsync(token, "k-post", TestData.Order((sku, 1)));
        return (token, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!, string.Empty, sku);
    }
}
