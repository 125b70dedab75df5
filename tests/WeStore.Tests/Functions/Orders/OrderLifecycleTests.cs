using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Domain.Catalog;
using WeStore.Domain.Orders;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Orders;

public sealed class OrderLifecycleTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static async Task<(StoreFixture Store, string Sku, string Stem, string Token, string OrderNo)> PlacedAsync(bool loseNotifications = false)
    {
        // Losing notifications: WeChat Pay posts them to an address where nothing listens.
        var store = await StoreFixture.StartAsync(loseNotifications
            ? new() { ["WeChatPay:NotifyUrl"] = $"http://127.0.0.1:{TestStorage.FreePort()}/api/pay/notify" }
            : null);
        var (token, orderNo, stem, sku) = await store.PlaceOrderAsync(stock: 5, quantity: 2);
        return (store, sku, stem, token, orderNo);
    }

    [Fact]
    public async Task Timeout_AfterLostNotification_OrderPaidNotClosed()
    {
        var (store, sku, stem, token, orderNo) = await PlacedAsync(loseNotifications: true);
        await using var _ = store;
        await store.PayAsync(orderNo);
        Assert.Equal("pendingPayment", (await store.GetOrderAsync(token, orderNo)).GetProperty("status").GetString());

        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage(store.OpenIdOf(stem), orderNo, [sku]));

        var order = await store.GetOrderAsync(token, orderNo);
        Assert.Equal("paid", order.GetProperty("status").GetString());
        Assert.Equal("SUCCESS", store.Sandbox.Pay.Transactions[orderNo].TradeState);
        var stock = store.Service<IStockRepository>();
        await Eventually.TrueAsync(() => stock.GetLevelAsync(sku, default).Result!.Sold == 2, TimeSpan.FromSeconds(15), "the order-paid consumer marked the stock sold");
        var level = await stock.GetLevelAsync(sku, default);
        Assert.Equal((3L, 0L, 2L), (level!.Available, level.Held, level.Sold));
    }

    [Fact]
    public async Task Timeout_Unpaid_ClosedHereAndAtWeChatPayAndStockReleased()
    {
        var (store, sku, stem, token, orderNo) = await PlacedAsync();
        await using var _ = store;
        var message = new OrderTimeoutMessage(store.OpenIdOf(stem), orderNo, [sku]);

        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", message);
        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", message); // a redelivery changes nothing

        var order = await store.GetOrderAsync(token, orderNo);
        Assert.Equal("closed", order.GetProperty("status").GetString());
        Assert.Equal("CLOSED", store.Sandbox.Pay.Transactions[orderNo].TradeState);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((5L, 0L, 0L), (level!.Available, level.Held, level.Sold));
    }

    [Fact]
    public async Task Timeout_OrderNeverWritten_HoldsReleased()
    {
        var store = shared.Store;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 5, 1));
        var stock = store.Service<IStockRepository>();
        // A request that held stock and then died before writing its order.
        Assert.Equal(ReservationOutcome.Reserved, (await stock.ReserveAsync("WSORPHAN0001", sku, 3, 1, default)).Outcome);

        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage("oOrphanMember", "WSORPHAN0001", [sku]));

        var level = await stock.GetLevelAsync(sku, default);
        Assert.Equal((5L, 0L), (level!.Available, level.Held));
    }

    [Fact]
    public async Task Cancel_Unpaid_CancelledAndStockReleased_ThenPayRefused()
    {
        var (store, sku, _, token, orderNo) = await PlacedAsync();
        await using var __ = store;

        var response = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/orders/{orderNo}/cancel", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("CLOSED", store.Sandbox.Pay.Transactions[orderNo].TradeState);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((5L, 0L), (level!.Available, level.Held));
        var pay = await store.Sandbox.Client().PostAsync($"{store.Sandbox.Url}/sandbox/pay/{orderNo}", null);
        Assert.Equal(HttpStatusCode.Conflict, pay.StatusCode); // a cancelled order cannot be paid
    }

    [Fact]
    public async Task Cancel_PaidAtWeChatPay_409AndOrderPaid()
    {
        var (store, sku, _, token, orderNo) = await PlacedAsync(loseNotifications: true);
        await using var __ = store;
        await store.PayAsync(orderNo);

        var response = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/orders/{orderNo}/cancel", token));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("paid", (await store.GetOrderAsync(token, orderNo)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnotherMembersOrder_404OnReadAndCancel()
    {
        var (store, _, _, _, orderNo) = await PlacedAsync();
        await using var __ = store;
        var intruder = await store.LoginAsync(TestData.NewId("intruder"));

        var read = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, $"/api/orders/{orderNo}", intruder));
        var cancel = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/orders/{orderNo}/cancel", intruder));

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal("NOTPAY", store.Sandbox.Pay.Transactions[orderNo].TradeState);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("WS' or RowKey ne '")]
    [InlineData("%00%0A")]
    public async Task GetOrder_HostileOrderNo_404(string orderNo)
    {
        var store = shared.Store;
        var token = await store.LoginAsync(TestData.NewId("buyer"));

        var response = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, $"/api/orders/{Uri.EscapeDataString(orderNo)}", token));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task List_NewestFirstInPages()
    {
        var store = shared.Store;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 100, 50, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));
        var placed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var response = await store.PlaceAsync(token, "k" + i, TestData.Order((sku, 1)));
            placed.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!);
            await Task.Delay(15);
        }

        var seen = new List<string>();
        string? next = null;
        do
        {
            var url = "/api/orders?pageSize=2" + (next is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(next));
            var page = await (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, url, token))).Content.ReadFromJsonAsync<JsonElement>();
            seen.AddRange(page.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()!));
            next = page.GetProperty("continuationToken").GetString();
        }
        while (next is not null);

        Assert.Equal(Enumerable.Reverse(placed), seen);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    [InlineData("-1")]
    [InlineData("abc")]
    public async Task List_BadPageSize_400(string pageSize)
    {
        var store = shared.Store;
        var token = await store.LoginAsync(TestData.NewId("buyer"));

        var response = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/orders?pageSize=" + pageSize, token));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
