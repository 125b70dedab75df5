using System.Net;
using WeStore.Domain.Catalog;
using WeStore.Domain.Coupons;
using WeStore.Domain.Members;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Infrastructure;

/// <summary>
/// A caller that hangs up mid-request (the shopper closes the Mini Program, WeChat Pay gives up on a slow answer)
/// must not stop the request's writes half-way: nobody may ever retry them.
/// </summary>
public sealed class RequestCancellationTests
{
    [Fact]
    public async Task Login_CallerHangsUpAfterTheWelcomeClaim_CouponStillReachesTheWalletAndTheMemberJoins()
    {
        var welcome = string.Empty;
        HangUpAfter? hangUp = null;
        await using var store = await StoreFixture.StartPreparedAsync(async setup =>
        {
            welcome = await CouponData.CreateCampaignAsync(setup, CouponData.Fixed(800, totalStock: 10, issueOn: "welcome"));
            return new() { ["Coupons:WelcomeCampaignId"] = welcome };
        }, s => hangUp = HangUpAfter.Install(s, "POST $batch"));
        var stem = TestData.NewId("closer");
        var openId = store.OpenIdOf(stem);

        await hangUp!.SendAndHangUpAsync(store.Client, new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = TestData.LoginBody(TestData.ShopperCode(stem)) });

        await Eventually.TrueAsync(async () => await store.Service<IMemberRepository>().GetAsync(openId, default) is not null, TimeSpan.FromSeconds(10), "the member joined");
        Assert.False(hangUp.WorkCancelled);
        var coupon = Assert.Single(await store.Service<ICouponRepository>().ListAsync(openId, default));
        Assert.Equal(welcome, coupon.CampaignId);
        Assert.Empty(await Invariants.CheckAsync(store, [], [], [welcome]));
    }

    [Fact]
    public async Task Claim_CallerHangsUpAfterTheClaim_CouponStillReachesTheWallet()
    {
        HangUpAfter? hangUp = null;
        await using var store = await StoreFixture.StartAsync(services: s => hangUp = HangUpAfter.Install(s, "POST $batch"));
        var campaign = await CouponData.CreateCampaignAsync(store, CouponData.Fixed(500, totalStock: 10));
        var stem = TestData.NewId("closer");
        var token = await store.LoginAsync(stem);

        await hangUp!.SendAndHangUpAsync(store.Client, TestData.Authorized(HttpMethod.Post, $"/api/coupons/campaigns/{campaign}/claim", token));

        await Eventually.TrueAsync(async () => (await store.Service<ICouponRepository>().ListAsync(store.OpenIdOf(stem), default)).Count == 1,
            TimeSpan.FromSeconds(10), "the claimed coupon is in the wallet");
        Assert.False(hangUp.WorkCancelled);
        Assert.Empty(await Invariants.CheckAsync(store, [], [], [campaign]));
    }

    [Fact]
    public async Task Notify_WeChatPayHangsUpAfterTheOrderIsMarkedPaid_OrderPaidEventStillSentAndStockSold()
    {
        HangUpAfter? hangUp = null;
        var sender = new CountingMessageSender[1];
        await using var store = await StoreFixture.StartAsync(services: s =>
        {
            CountingMessageSender.Install(s, sender);
            hangUp = HangUpAfter.Install(s, "PUT Members"); // the order's conditional save as paid
        });
        var (_, orderNo, stem, sku) = await store.PlaceOrderAsync();
        var notification = SignedNotifications.Build(store.Sandbox, SignedNotifications.Transaction(store.Sandbox, orderNo, store.OpenIdOf(stem), 2000));

        await hangUp!.SendAndHangUpAsync(store.Client, notification.ToRequest());

        await Eventually.TrueAsync(async () => (await store.Service<IStockRepository>().GetLevelAsync(sku, default))!.Sold == 2,
            TimeSpan.FromSeconds(15), "the paid order's stock was sold");
        Assert.False(hangUp.WorkCancelled);
        Assert.Equal(1, sender[0].Sent(OrderQueues.Paid));
        Assert.Equal(OrderStatus.Paid, (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!.Status);
        await Eventually.TrueAsync(async () => await store.Service<IPaidOutbox>().GetAsync(orderNo, default) is null, TimeSpan.FromSeconds(5), "the outbox entry was removed");
    }
}
