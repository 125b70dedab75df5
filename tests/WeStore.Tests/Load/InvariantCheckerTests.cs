using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using WeStore.Domain.Catalog;
using WeStore.Load.Invariants;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Load;

/// <summary>The invariant checker passes a consistent store and names each kind of damage done to one.</summary>
public sealed class InvariantCheckerTests(SharedStore shared) : IClassFixture<SharedStore>
{
    /// <summary>A paid, fulfilled order of its own SKU and member in the shared store.</summary>
    private async Task<(StoreFixture Store, string Sku, string OpenId, string OrderNo)> PaidOrderAsync()
    {
        var store = shared.Store;
        var sku = TestData.NewId("inv");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 2500, 10, 2));
        var stem = TestData.NewId("buyer");
        var token = await store.LoginAsync(stem);
        var response = await store.PlaceAsync(token, "inv", TestData.Order((sku, 2)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var orderNo = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        await store.PayAsync(orderNo);
        await Eventually.TrueAsync(() => store.Service<IStockRepository>().GetLevelAsync(sku, default).Result!.Sold == 2, TimeSpan.FromSeconds(30), "the paid order's stock was sold");
        return (store, sku, store.OpenIdOf(stem), orderNo);
    }

    private Task<TableClient> TableAsync(string name) => shared.Store.TableAsync(name);

    [Fact]
    public async Task Check_PaidOrder_NoViolations()
    {
        var (store, sku, openId, orderNo) = await PaidOrderAsync();

        // The points are earned by the same consumer that sold the stock; give it a moment to finish.
        IReadOnlyList<string> violations = [];
        for (var i = 0; i < 50 && (violations = await Invariants.CheckAsync(store, [sku], [(openId, orderNo)])).Count > 0; i++) await Task.Delay(100);

        Assert.Empty(violations);
    }

    [Fact]
    public async Task Check_MoneyTakenButOrderUnpaid_Reported()
    {
        var store = shared.Store;
        var sku = TestData.NewId("inv");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 2500, 10, 1));
        var stem = TestData.NewId("buyer");
        var response = await store.PlaceAsync(await store.LoginAsync(stem), "inv", TestData.Order((sku, 1)));
        var orderNo = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;

        // WeChat Pay took the money, and the notification never reached the store.
        var t = store.Sandbox.Pay.Transactions[orderNo];
        lock (t) t.TradeState = "SUCCESS";

        var violations = await Invariants.CheckAsync(store, [sku], [(store.OpenIdOf(stem), orderNo)]);
        Assert.Contains(violations, v => v.Contains(orderNo, StringComparison.Ordinal) && v.Contains("WeChat Pay says SUCCESS, the order is PendingPayment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_StockAndPointsRowsTamperedWith_BothReported()
    {
        var (store, sku, openId, orderNo) = await PaidOrderAsync();
        await Eventually.TrueAsync(() => store.Service<WeStore.Domain.Loyalty.IPointsRepository>().GetAsync(openId, default).Result.Balance > 0, TimeSpan.FromSeconds(30), "the order earned points");

        await (await TableAsync(TableNames.Stock)).UpsertEntityAsync(new TableEntity(sku, "shard-00") { ["Available"] = 100L }, TableUpdateMode.Merge);
        await (await TableAsync(TableNames.Members)).UpsertEntityAsync(new TableEntity(openId, "points") { ["Balance"] = 1_000_000L }, TableUpdateMode.Merge);

        var violations = await Invariants.CheckAsync(store, [sku], [(openId, orderNo)]);
        Assert.Contains(violations, v => v.StartsWith($"SKU {sku}: received 10 ≠ available", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("points balance 1000000 ≠ ledger sum 50", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_PaidOrderWhoseHoldWasNeverSold_OrderNamed()
    {
        var (store, sku, openId, orderNo) = await PaidOrderAsync();
        await Eventually.TrueAsync(() => store.Service<IStockRepository>().GetLevelAsync(sku, default).Result!.Sold == 2, TimeSpan.FromSeconds(30), "the order's stock was sold");

        // As if the order-paid event had never been handled: the hold still held.
        await (await TableAsync(TableNames.Stock)).UpsertEntityAsync(new TableEntity(sku, "hold-" + orderNo) { ["State"] = "held" }, TableUpdateMode.Merge);

        var violations = await Invariants.CheckAsync(store, [sku], [(openId, orderNo)]);
        Assert.Contains($"SKU {sku}: 0 sold, the paid orders hold 2", violations);
        Assert.Contains($"SKU {sku}: order {orderNo} is paid, its hold is held", violations);
    }

    [Fact]
    public async Task Check_CouponBeyondLimitAndMissingFromWallet_Reported()
    {
        var store = shared.Store;
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(500, totalStock: 10, perMemberLimit: 1));
        var stem = TestData.NewId("claimer");
        await CouponData.ClaimedIdAsync(store, await store.LoginAsync(stem), campaign);
        var openId = store.OpenIdOf(stem);
        Assert.Empty(await Invariants.CheckAsync(store, [], [], [campaign]));

        // A second claim row for the same member, written around the campaign's counters, for a coupon that does not exist.
        await (await TableAsync(TableNames.CouponCampaigns)).AddEntityAsync(new TableEntity(campaign, $"claim|{openId}|099") { ["CouponId"] = "ghost" });

        var violations = await Invariants.CheckAsync(store, [], [], [campaign]);
        Assert.Contains($"campaign {campaign}: its counters say 1 issued, 2 claims are recorded", violations);
        Assert.Contains(violations, v => v.Contains("holds 2 coupons, the limit is 1", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("coupon ghost was issued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadPayments_PaidOrder_SandboxRecordOverHttp()
    {
        var (store, _, openId, orderNo) = await PaidOrderAsync();
        using var sandbox = new HttpClient { BaseAddress = new Uri(store.Sandbox.Url) };

        var payments = await InvariantChecker.ReadPaymentsAsync(sandbox, default);

        var record = payments[orderNo];
        Assert.Equal(new PaymentRecord(orderNo, openId, "SUCCESS", 5000, 0), record with { RefundStates = null });
        Assert.Empty(record.RefundStates!);
    }

    [Fact]
    public async Task Discover_StoreWithPaidOrder_FindsItsOrderSkuAndMember()
    {
        var (store, sku, openId, orderNo) = await PaidOrderAsync();

        var scope = await new InvariantChecker(store.Host.Services).DiscoverAsync(default);

        Assert.True(scope.WholeStore);
        Assert.Contains((openId, orderNo), scope.Orders);
        Assert.Contains(sku, scope.Skus);
        Assert.Contains(openId, scope.Members);
    }

    [Fact]
    public async Task Check_OverFilledTeamOrUnpaidSeatMarkedPaid_Reported()
    {
        var store = shared.Store;
        var (groupBuyId, sku) = await GroupBuyData.CreateAsync(store, teamSize: 2);
        var stem = TestData.NewId("leader");
        var (teamId, orderNo) = await GroupBuyData.SeatOfAsync(await GroupBuyData.OpenAsync(store, await store.LoginAsync(stem), groupBuyId));
        var teams = store.Service<WeStore.Domain.GroupBuys.IGroupBuyStore>();
        var team = (await teams.GetTeamAsync(teamId, default))!;
        // Damage: the unpaid leader's seat marked paid, and two more seats than the team holds.
        var damaged = WeStore.Domain.GroupBuys.Team.Restore(team.Id, team.GroupBuyId, team.SkuId, team.GroupPrice, team.Size, team.LeaderOpenId, team.OpenedAt, team.Deadline,
            team.Status, team.ClosedAt,
            [team.Seats[0] with { State = WeStore.Domain.GroupBuys.SeatState.Paid }, new("x1", "WSX1", WeStore.Domain.GroupBuys.SeatState.Held, team.OpenedAt),
                new("x2", "WSX2", WeStore.Domain.GroupBuys.SeatState.Held, team.OpenedAt)], 0, team.Version);
        Assert.True(await teams.TrySaveTeamAsync(damaged, default));

        var violations = await Invariants.CheckAsync(store, [sku], [(store.OpenIdOf(stem), orderNo)]);
        Assert.Contains(violations, v => v.Contains("over-filled", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("paid seats but 0 paid orders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_RewardForOrderNotCompleted_Reported()
    {
        var (store, sku, openId, orderNo) = await PaidOrderAsync();
        var referrals = store.Service<WeStore.Domain.Referrals.IReferralStore>();
        var referral = await referrals.GetAsync(openId, default);
        referral.Bind("someone", "rf_aaaaaaaaaaaaaaaa", WeStore.Domain.Referrals.ReferralVia.Scan, DateTimeOffset.UtcNow.AddDays(-1));
        referral.Earn(new WeStore.Domain.Referrals.ReferralReward(orderNo, 5000, null, 100, DateTimeOffset.UtcNow));
        Assert.True(await referrals.TrySaveAsync(referral, default));

        var violations = await Invariants.CheckAsync(store, [sku], [(openId, orderNo)]);
        Assert.Contains(violations, v => v.Contains("which did not complete", StringComparison.Ordinal));
    }
}
