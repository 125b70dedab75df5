using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WeStore.Domain.Catalog;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Orders;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.AfterSales;

public sealed class AfterSaleFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Return_RequestApproveShipReceiveRestock_RefundedOnceAndStockBackOnce()
    {
        var store = shared.Store;
        var (token, orderNo, stem, sku) = await AfterSaleData.ReceivedOrderAsync(store, quantity: 2, price: 1000);
        var before = (await store.Service<IStockRepository>().GetLevelAsync(sku, default))!;

        var id = await AfterSaleData.RequestIdAsync(store, token, orderNo, AfterSaleData.Return(sku, 1));
        Assert.Contains(id, (await FulfilmentData.OperatorGetAsync(store, "/api/manage/after-sales?status=requested&pageSize=100"))
            .GetProperty("afterSales").EnumerateArray().Select(a => a.GetProperty("afterSaleId").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await AfterSaleData.OperatorAsync(store, id, "approve", new { returnAddress = "浙江省杭州市西湖区 退货仓" })).StatusCode);
        var shippedBack = await AfterSaleData.MemberAsync(store, token, id, "return-shipment", new { expressCompany = "YTO", trackingNo = "YTBACK1" });
        Assert.True(shippedBack.StatusCode == HttpStatusCode.OK, await shippedBack.Content.ReadAsStringAsync());
        var received = await AfterSaleData.OperatorAsync(store, id, "receive", new { restock = true });
        var again = await AfterSaleData.OperatorAsync(store, id, "receive", new { restock = true });
        var view = await received.Content.ReadFromJsonAsync<JsonElement>();
        var outRefundNo = view.GetProperty("outRefundNo").GetString()!;
        await store.CompleteRefundAtSandboxAsync(orderNo, outRefundNo);
        await store.IdleAsync();

        Assert.Equal("refunding", view.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("refunded", await AfterSaleData.StatusAsync(store, id));
        var order = (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!;
        Assert.Equal(1000, order.RefundedAmount);
        Assert.Equal(OrderStatus.Received, order.Status);
        Assert.Equal(1, order.Fulfilment.ReturnedQuantity(sku));
        Assert.Single(store.Sandbox.Pay.Transactions[orderNo].Refunds);
        var after = (await store.Service<IStockRepository>().GetLevelAsync(sku, default))!;
        Assert.Equal(1, after.Restocked);
        Assert.Equal(before.Available + 1, after.Available);
        Assert.Empty(await Invariants.CheckAsync(store, [sku], [(store.OpenIdOf(stem), orderNo)]));
    }

    [Fact]
    public async Task RefundOnly_BeforeShipment_ThatLineIsNoLongerToShip()
    {
        var store = shared.Store;
        var (token, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store, quantity: 2, price: 1000);

        var id = await AfterSaleData.RequestIdAsync(store, token, orderNo, AfterSaleData.Refund(sku, 1));
        var approved = await (await AfterSaleData.OperatorAsync(store, id, "approve")).Content.ReadFromJsonAsync<JsonElement>();
        await store.CompleteRefundAtSandboxAsync(orderNo, approved.GetProperty("outRefundNo").GetString()!);
        await store.IdleAsync();
        var shipTwo = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        var shipOne = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1));

        Assert.Equal("refunded", await AfterSaleData.StatusAsync(store, id));
        Assert.Equal(HttpStatusCode.BadRequest, shipTwo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shipOne.StatusCode);
        Assert.Equal("shipped", (await shipOne.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(1000, (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!.RefundedAmount);
    }

    [Fact]
    public async Task Request_Refusals_409And400_NothingWritten()
    {
        var store = shared.Store;
        var (token, paid, _, paidSku) = await FulfilmentData.PaidOrderAsync(store, quantity: 2, price: 1000);
        var (_, unpaid, _, unpaidSku) = await store.PlaceOrderAsync();
        var open = await AfterSaleData.RequestIdAsync(store, token, paid, AfterSaleData.Refund(paidSku, 1));

        var cases = new (string Name, string OrderNo, object Body, HttpStatusCode Expected)[]
        {
            ("amount above what remains", paid, new { type = "refund", amount = 1001, reason = "x" }, HttpStatusCode.Conflict),
            ("a return before shipment", paid, AfterSaleData.Return(paidSku, 1), HttpStatusCode.Conflict),
            ("the open line again", paid, AfterSaleData.Refund(paidSku, 1), HttpStatusCode.Conflict),
            ("more than ordered", paid, new { type = "refund", lines = new[] { new { skuId = paidSku, quantity = 5 } }, reason = "x" }, HttpStatusCode.Conflict),
            ("a SKU not in the order", paid, AfterSaleData.Refund("sku-elsewhere", 1), HttpStatusCode.BadRequest),
            ("another member's order", unpaid, AfterSaleData.Refund(unpaidSku, 1), HttpStatusCode.NotFound),
        };
        await store.IdleAsync();
        var writes = store.Service<WeStore.Storage.StorageRequestCounter>().Writes;
        foreach (var (name, orderNo, body, expected) in cases)
        {
            var response = await AfterSaleData.RequestAsync(store, token, orderNo, body);
            Assert.True(response.StatusCode == expected, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(0, store.Service<WeStore.Storage.StorageRequestCounter>().Writes - writes);
        Assert.Equal("requested", await AfterSaleData.StatusAsync(store, open));
    }

    [Fact]
    public async Task Request_SameKey_SameRequest_OtherBody_409()
    {
        var store = shared.Store;
        var (token, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);

        var first = await AfterSaleData.RequestAsync(store, token, orderNo, AfterSaleData.Refund(sku, 1), key: "k1");
        var replay = await AfterSaleData.RequestAsync(store, token, orderNo, AfterSaleData.Refund(sku, 1), key: "k1");
        var reused = await AfterSaleData.RequestAsync(store, token, orderNo, AfterSaleData.Refund(sku, 2), key: "k1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("afterSaleId").GetString(),
            (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("afterSaleId").GetString());
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
    }

    [Fact]
    public async Task Approve_TwoAtOnce_OneRefund()
    {
        var store = shared.Store;
        var (token, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);
        var id = await AfterSaleData.RequestIdAsync(store, token, orderNo, AfterSaleData.Refund(sku, 1));

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => AfterSaleData.OperatorAsync(store, id, "approve")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(store.Sandbox.Pay.Transactions[orderNo].Refunds);
        Assert.Equal("refunding", await AfterSaleData.StatusAsync(store, id));
    }

    [Fact]
    public async Task Approve_RacingCancel_OneWins()
    {
        var store = shared.Store;
        for (var i = 0; i < 4; i++)
        {
            var (token, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);
            var id = await AfterSaleData.RequestIdAsync(store, token, orderNo, AfterSaleData.Refund(sku, 1));

            var approve = AfterSaleData.OperatorAsync(store, id, "approve");
            var cancel = AfterSaleData.MemberAsync(store, token, id, "cancel");
            var (approved, cancelled) = (await approve, await cancel);
            var status = await AfterSaleData.StatusAsync(store, id);

            Assert.True(approved.IsSuccessStatusCode ^ cancelled.IsSuccessStatusCode, $"approve {approved.StatusCode}, cancel {cancelled.StatusCode}");
            Assert.Equal(approved.IsSuccessStatusCode ? "refunding" : "cancelled", status);
            Assert.Equal(approved.IsSuccessStatusCode ? 1 : 0, store.Sandbox.Pay.Transactions[orderNo].Refunds.Count);
        }
    }

    [Fact]
    public async Task RefundNotification_RacingTheQuery_OneTransition()
    {
        var store = shared.Store;
        var (token, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        var id = await AfterSaleData.RequestIdAsync(store, token, orderNo, AfterSaleData.Refund(sku, 1));
        var outRefundNo = (await (await AfterSaleData.OperatorAsync(store, id, "approve")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outRefundNo").GetString()!;
        // WeChat Pay settles the refund; its notification and the store's own query go at once.
        var refund = store.Sandbox.Pay.Transactions[orderNo].Refunds.Single();
        var follow = new RefundFollowMessage(store.OpenIdOf(stem), orderNo, outRefundNo, 0);

        await Task.WhenAll(
            store.CompleteRefundAtSandboxAsync(orderNo, outRefundNo),
            store.RunQueueFunctionWithRetriesAsync("FollowRefundFunction", follow),
            store.RunQueueFunctionWithRetriesAsync("FollowRefundFunction", follow));
        await store.IdleAsync();

        Assert.Equal("SUCCESS", refund.Status);
        Assert.Equal("refunded", await AfterSaleData.StatusAsync(store, id));
        var order = (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!;
        Assert.Equal(RefundStatus.Succeeded, Assert.Single(order.Refunds).Status);
        Assert.False(order.HasOpenAfterSale);
    }

    [Fact]
    public async Task Refund_Abnormal_StoppedAndAlerted_RetriedThroughTheAbnormalApi_ThenRefunded()
    {
        var store = shared.Store;
        var (token, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);
        var id = await AfterSaleData.RequestIdAsync(store, token, orderNo, AfterSaleData.Refund(sku, 1));
        var outRefundNo = (await (await AfterSaleData.OperatorAsync(store, id, "approve")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outRefundNo").GetString()!;

        await CompleteAsync(store, orderNo, outRefundNo, "abnormal");
        await store.IdleAsync();
        var stopped = await AfterSaleData.GetAsync(store, id);
        var alerts = await FulfilmentData.OperatorGetAsync(store, "/api/manage/alerts");
        var retried = await AfterSaleData.OperatorAsync(store, id, "retry-refund",
            new { type = "USER_BANK_CARD", bankType = "ICBC_DEBIT", bankAccount = "6222020200001234567", realName = "张三" });
        await CompleteAsync(store, orderNo, outRefundNo, "success");
        await store.IdleAsync();

        Assert.Equal("refundAbnormal", stopped.GetProperty("status").GetString());
        Assert.Equal("abnormal", stopped.GetProperty("refundProblem").GetString());
        Assert.Contains(alerts.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("kind").GetString() == "refundAbnormal" && a.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(1, store.Sandbox.Pay.Count("apply-abnormal-refund"));
        Assert.Equal("USER_BANK_CARD", store.Sandbox.Pay.Transactions[orderNo].Refunds.Single().AbnormalRefundType);
        Assert.Equal("refunded", await AfterSaleData.StatusAsync(store, id));
        Assert.Equal(outRefundNo, (await AfterSaleData.GetAsync(store, id)).GetProperty("outRefundNo").GetString());
    }

    [Fact]
    public async Task Refund_Closed_RetryAMinuteLater_UnderANewNumber()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var (token, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);
        var id = await AfterSaleData.RequestIdAsync(store, token, orderNo, AfterSaleData.Refund(sku, 1));
        var first = (await (await AfterSaleData.OperatorAsync(store, id, "approve")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outRefundNo").GetString()!;
        await CompleteAsync(store, orderNo, first, "closed");
        await store.IdleAsync();

        var tooSoon = await AfterSaleData.OperatorAsync(store, id, "retry-refund");
        var waiting = await AfterSaleData.GetAsync(store, id);
        time.Advance(TimeSpan.FromSeconds(61));
        // The delayed message the wait sent, delivered now that the minute has passed.
        await store.RunQueueFunctionAsync("FollowRefundFunction", new RefundFollowMessage(await OpenIdOfAsync(store, orderNo), orderNo, $"{id}-2", 0, id));
        var second = (await AfterSaleData.GetAsync(store, id)).GetProperty("outRefundNo").GetString()!;
        await CompleteAsync(store, orderNo, second, "success");
        await store.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, tooSoon.StatusCode);
        Assert.Equal("refunding", waiting.GetProperty("status").GetString());
        Assert.Equal($"{id}-1", first);
        Assert.Equal($"{id}-2", second);
        Assert.Equal(2, store.Sandbox.Pay.Transactions[orderNo].Refunds.Count);
        Assert.Equal("refunded", await AfterSaleData.StatusAsync(store, id));
    }

    [Fact]
    public async Task Completion_WaitsWhileARequestIsOpen_ThenCompletes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var (token, orderNo, stem, sku) = await AfterSaleData.ReceivedOrderAsync(store);
        var id = await AfterSaleData.RequestIdAsync(store, token, orderNo, AfterSaleData.Return(sku, 1));

        time.Advance(TimeSpan.FromDays(8));
        await store.RunQueueFunctionAsync("RunFulfilmentScheduleFunction", new { });
        await store.IdleAsync();
        var held = (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!.Status;
        token = await store.LoginAsync(stem);
        Assert.Equal(HttpStatusCode.OK, (await AfterSaleData.MemberAsync(store, token, id, "cancel")).StatusCode);
        time.Advance(TimeSpan.FromMinutes(10));
        await store.RunQueueFunctionAsync("RunFulfilmentScheduleFunction", new { });
        await store.IdleAsync();

        Assert.Equal(OrderStatus.Received, held);
        Assert.Equal(OrderStatus.Completed, (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!.Status);
    }

    [Fact]
    public async Task Request_OutsideTheWindow_409()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var (_, orderNo, stem, sku) = await AfterSaleData.ReceivedOrderAsync(store);

        time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var token = await store.LoginAsync(stem);
        var late = await AfterSaleData.RequestAsync(store, token, orderNo, AfterSaleData.Return(sku, 1));

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("after_sale_window_closed", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberRoutes_OtherMembersRequest_404_BadIds_404()
    {
        var store = shared.Store;
        var (token, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);
        var id = await AfterSaleData.RequestIdAsync(store, token, orderNo, AfterSaleData.Refund(sku, 1));
        var stranger = await store.LoginAsync(TestData.NewId("stranger"));

        Assert.Equal(HttpStatusCode.NotFound, (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, $"/api/after-sales/{id}", stranger))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AfterSaleData.MemberAsync(store, stranger, id, "cancel")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/after-sales/..%2F..%2Fx", token))).StatusCode);
        Assert.Single((await (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/me/after-sales", token))).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("afterSales").EnumerateArray());
    }

    private static async Task<string> OpenIdOfAsync(StoreFixture store, string orderNo) => (await FulfilmentData.FindOpenIdAsync(store, orderNo))!;

    private static async Task CompleteAsync(StoreFixture store, string orderNo, string outRefundNo, string result)
    {
        var client = store.Sandbox.Client();
        var response = await client.PostAsync($"{store.Sandbox.Url}/sandbox/pay/{orderNo}?refund={Uri.EscapeDataString(outRefundNo)}&result={result}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
