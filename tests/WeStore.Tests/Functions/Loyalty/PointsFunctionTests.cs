using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Domain.Catalog;
using WeStore.Domain.Common;
using WeStore.Domain.Loyalty;
using WeStore.Domain.Orders;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Loyalty;

public sealed class PointsFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task PaidOrder_EarnsLotWithTwelveMonthExpiry_ShownInMemberView_OnceOnRedelivery()
    {
        var store = shared.Store;
        var (token, orderNo, stem, _) = await store.PlaceOrderAsync(stock: 10, quantity: 2, price: 12_345); // 246.90 yuan
        await store.PayAsync(orderNo);
        await Eventually.TrueAsync(() => LoyaltyData.Balance(LoyaltyData.PointsAsync(store, token).Result) == 246, TimeSpan.FromSeconds(15), "the order-paid consumer granted the points");

        await store.RunQueueFunctionAsync("FulfilPaidOrderFunction", new OrderPaidMessage(store.OpenIdOf(stem), orderNo)); // a redelivery
        var view = await LoyaltyData.PointsAsync(store, token);

        Assert.Equal(246, LoyaltyData.Balance(view));
        Assert.Equal("member", view.GetProperty("tier").GetString());
        var entry = Assert.Single(view.GetProperty("ledger").EnumerateArray());
        Assert.Equal("earn", entry.GetProperty("kind").GetString());
        Assert.Equal(orderNo, entry.GetProperty("reference").GetString());
        var lot = Assert.Single((await store.Service<IPointsRepository>().GetAsync(store.OpenIdOf(stem), default)).Lots);
        Assert.Equal(BusinessCalendar.DayOf(DateTimeOffset.UtcNow).AddMonths(12), lot.ExpiresOn);
        await LoyaltyData.AssertLedgerMatchesBalanceAsync(store, store.OpenIdOf(stem));
    }

    [Fact]
    public async Task Checkout_PointsFromEarliestLots_ReservedWithOrder_ReturnedWhenCancelled()
    {
        var store = shared.Store;
        var stem = TestData.NewId("m");
        var openId = store.OpenIdOf(stem);
        var token = await store.LoginAsync(stem);
        var today = BusinessCalendar.DayOf(DateTimeOffset.UtcNow);
        var early = await LoyaltyData.SeedLotAsync(store, openId, "seedEarly", 30_000, today.AddDays(20));   // 300 points
        var late = await LoyaltyData.SeedLotAsync(store, openId, "seedLate", 50_000, today.AddDays(200));    // 500 points
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 100_000, 10, 1));

        var placed = await store.PlaceAsync(token, "k1", LoyaltyData.OrderWithPoints(400, (sku, 1)));
        var body = await placed.Content.ReadFromJsonAsync<JsonElement>();
        var account = await store.Service<IPointsRepository>().GetAsync(openId, default);

        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.Equal(99_600, body.GetProperty("amounts").GetProperty("payable").GetInt64());
        Assert.Equal(400, body.GetProperty("amounts").GetProperty("pointsUsed").GetInt64());
        Assert.Equal(0, account.Lots.Single(l => l.Key == early).Remaining);
        Assert.Equal(400, account.Lots.Single(l => l.Key == late).Remaining);
        Assert.Equal(400, account.Balance);

        var orderNo = body.GetProperty("orderNo").GetString()!;
        var cancel = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/orders/{orderNo}/cancel", token));
        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage(openId, orderNo, [sku])); // the timeout, later
        account = await store.Service<IPointsRepository>().GetAsync(openId, default);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(800, account.Balance);
        Assert.Equal(300, account.Lots.Single(l => l.Key == early).Remaining);
        await LoyaltyData.AssertLedgerMatchesBalanceAsync(store, openId);
    }

    [Fact]
    public async Task Checkout_OverHalfOrMoreThanHeld_RefusedAndNothingHeldOrSpent()
    {
        var store = shared.Store;
        var (token, openId, sku) = await LoyaltyData.MemberWith1000PointsAsync(store, stock: 10);

        var overHalf = await store.PlaceAsync(token, "k1", LoyaltyData.OrderWithPoints(501, (sku, 1)));
        var moreThanHeld = await store.PlaceAsync(token, "k2", LoyaltyData.OrderWithPoints(1001, (sku, 3)));
        var bad = await Task.WhenAll(new object[]
        {
            new { items = new[] { new { skuId = sku, quantity = 1 } }, pointsToUse = -5, address = TestData.Address() },
            new { items = new[] { new { skuId = sku, quantity = 1 } }, pointsToUse = 0, address = TestData.Address() },
            new { items = new[] { new { skuId = sku, quantity = 1 } }, pointsToUse = "100", address = TestData.Address() },
            new { items = new[] { new { skuId = sku, quantity = 1 } }, pointsToUse = 1e30, address = TestData.Address() },
        }.Select((b, i) => store.PlaceAsync(token, "bad" + i, b)));

        Assert.Equal(HttpStatusCode.BadRequest, overHalf.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, moreThanHeld.StatusCode);
        Assert.All(bad, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(1000, (await store.Service<IPointsRepository>().GetAsync(openId, default)).Balance);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((10L, 0L), (level!.Available, level.Held));
    }

    [Fact]
    public async Task Checkout_ConcurrentOrdersSpendingTheSamePoints_NeverOverspent()
    {
        var store = shared.Store;
        var (token, openId, sku) = await LoyaltyData.MemberWith1000PointsAsync(store, stock: 100, shards: 4);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.PlaceAsync(token, "c" + i, LoyaltyData.OrderWithPoints(300, (sku, 1)))));

        // At most three fit in 1000 points; a request that keeps losing the race gives up with 409 rather than overspend.
        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.InRange(created, 1, 3);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1000 - (300 * created), (await store.Service<IPointsRepository>().GetAsync(openId, default)).Balance);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal(created, level!.Held);
        await LoyaltyData.AssertLedgerMatchesBalanceAsync(store, openId);
    }

    [Fact]
    public async Task Refund_AfterPartialSpend_ClawsBackWhatIsLeft_ShortfallRecorded()
    {
        var store = shared.Store;
        var (token, orderNo, stem, sku) = await store.PlaceOrderAsync(stock: 10, quantity: 1, price: 100_000); // 1000 points
        var openId = store.OpenIdOf(stem);
        await store.PayAsync(orderNo);
        await Eventually.TrueAsync(() => LoyaltyData.Balance(LoyaltyData.PointsAsync(store, token).Result) == 1000, TimeSpan.FromSeconds(15), "points were granted");
        var spend = await store.PlaceAsync(token, "spend", LoyaltyData.OrderWithPoints(700, (sku, 2)));
        Assert.Equal(HttpStatusCode.Created, spend.StatusCode);

        using var refund = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/orders/{orderNo}/refunds") { Content = TestData.Json("""{"reason":"顾客申请退款"}""") };
        refund.Headers.Add("x-functions-key", RunningHost.MasterKey);
        var refunded = await (await store.Client.SendAsync(refund)).Content.ReadFromJsonAsync<JsonElement>();
        await store.CompleteRefundAtSandboxAsync(orderNo, refunded.GetProperty("outRefundNo").GetString()!);
        await store.CompleteRefundAtSandboxAsync(orderNo, refunded.GetProperty("outRefundNo").GetString()!); // WeChat Pay notifies again

        var account = await store.Service<IPointsRepository>().GetAsync(openId, default);
        Assert.Equal(0, account.Balance);
        Assert.Equal(700, account.Shortfall);
        var view = await LoyaltyData.PointsAsync(store, token);
        Assert.Equal(1, view.GetProperty("ledger").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "clawback"));
        Assert.Equal(-300, view.GetProperty("ledger").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "clawback").GetProperty("delta").GetInt64());
        await LoyaltyData.AssertLedgerMatchesBalanceAsync(store, openId);

        // The points the pending order holds come back when it is cancelled, and pay off the shortfall first.
        var spendNo = (await spend.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/orders/{spendNo}/cancel", token))).StatusCode);
        account = await store.Service<IPointsRepository>().GetAsync(openId, default);
        Assert.Equal((0L, 0L), (account.Balance, account.Shortfall));
        await LoyaltyData.AssertLedgerMatchesBalanceAsync(store, openId);
    }

    [Fact]
    public async Task MyPoints_LedgerPaged_BadPageSize400_HostileToken_NoSession401()
    {
        var store = shared.Store;
        var stem = TestData.NewId("m");
        var token = await store.LoginAsync(stem);
        var today = BusinessCalendar.DayOf(DateTimeOffset.UtcNow);
        for (var i = 0; i < 5; i++) await LoyaltyData.SeedLotAsync(store, store.OpenIdOf(stem), "s" + i, 10_000 * (i + 1), today.AddDays(10 + (i * 30)));

        var first = await LoyaltyData.PointsAsync(store, token, "?pageSize=2");
        var second = await LoyaltyData.PointsAsync(store, token, "?pageSize=2&continuationToken=" + first.GetProperty("continuationToken").GetString());
        var hostile = await LoyaltyData.PointsAsync(store, token, "?pageSize=2&continuationToken=" + Uri.EscapeDataString("x' or RowKey gt '"));

        Assert.Equal(1600, LoyaltyData.Balance(first)); // 100+200+300+400, then 500 yuan at silver (x1.2) once 1,000 yuan were spent
        Assert.Equal(2, first.GetProperty("ledger").GetArrayLength());
        Assert.Equal(2, second.GetProperty("ledger").GetArrayLength());
        Assert.Empty(first.GetProperty("ledger").EnumerateArray().Select(e => e.GetProperty("reference").GetString())
            .Intersect(second.GetProperty("ledger").EnumerateArray().Select(e => e.GetProperty("reference").GetString())));
        Assert.Equal(first.GetProperty("ledger").GetRawText(), hostile.GetProperty("ledger").GetRawText());
        Assert.Single(first.GetProperty("expiringWithin30Days").EnumerateArray()); // of the lots expiring in 10, 40, 70... days, the first
        foreach (var q in new[] { "?pageSize=0", "?pageSize=101", "?pageSize=abc", "?pageSize=-1" })
        {
            var response = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/me/points" + q, token));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await store.Client.GetAsync("/api/me/points")).StatusCode);
    }
}
