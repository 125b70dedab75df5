using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Orders;
using WeStore.Domain.Push;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Fulfilment;

public sealed class ConfirmReceiptFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static async Task<(string Token, string OrderNo, string Stem)> ShippedAsync(StoreFixture store)
    {
        var (token, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        Assert.Equal(HttpStatusCode.OK, (await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2))).StatusCode);
        await store.IdleAsync();
        return (token, orderNo, stem);
    }

    /// <summary>Plays the buyer confirming in WeChat's page without WeChat pushing anything yet.</summary>
    private static void ReceivedAtWeChat(StoreFixture store, string orderNo)
    {
        var shipment = FulfilmentData.Shipping(store).Shipments.Values.Single(s => s.OutTradeNo == orderNo);
        lock (shipment)
        {
            shipment.OrderState = 3;
            shipment.ConfirmReceiveTime = DateTimeOffset.UtcNow;
        }
    }

    [Fact]
    public async Task Confirm_WeChatHoldsTheReceipt_ReceivedByBuyerOnce()
    {
        var store = shared.Store;
        var (token, orderNo, _) = await ShippedAsync(store);
        ReceivedAtWeChat(store, orderNo);

        var first = await FulfilmentData.ConfirmByBuyerAsync(store, token, orderNo);
        var again = await FulfilmentData.ConfirmByBuyerAsync(store, token, orderNo);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("received", body.GetProperty("status").GetString());
        Assert.Equal("buyer", body.GetProperty("fulfilment").GetProperty("receiptSource").GetString());
        Assert.Equal(body.GetProperty("fulfilment").GetProperty("receivedAt").GetString(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fulfilment").GetProperty("receivedAt").GetString());
        Assert.Contains(orderNo, await FulfilmentData.ListAsync(store, "received"));
    }

    [Fact]
    public async Task Confirm_WeChatHasNoReceipt_409NothingChanged()
    {
        var store = shared.Store;
        var (token, orderNo, _) = await ShippedAsync(store);

        // The client says success, but WeChat's record says otherwise: the hint is not trusted.
        var response = await FulfilmentData.ConfirmByBuyerAsync(store, token, orderNo, "success");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("shipped", (await store.GetOrderAsync(token, orderNo)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Confirm_NotShippedOtherMemberOrBadBody_4xx()
    {
        var store = shared.Store;
        var (token, orderNo, _, _) = await FulfilmentData.PaidOrderAsync(store);
        var stranger = await store.LoginAsync(TestData.NewId("stranger"));
        var (_, unpaid, _, _) = await store.PlaceOrderAsync();

        Assert.Equal(HttpStatusCode.Conflict, (await FulfilmentData.ConfirmByBuyerAsync(store, token, orderNo)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await FulfilmentData.ConfirmByBuyerAsync(store, stranger, orderNo)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await FulfilmentData.ConfirmByBuyerAsync(store, token, orderNo, "maybe")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await FulfilmentData.ConfirmByBuyerAsync(store, token, "WS../../x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await store.Client.PostAsync($"/api/orders/{orderNo}/confirm-receipt", TestData.Json("{\"status\":\"success\"}"))).StatusCode);
        _ = unpaid;
    }

    /// <summary>The buyer's tap, WeChat's settlement event and the auto-confirm, several copies of each at once: one transition.</summary>
    [Fact]
    public async Task Receipt_BuyerSettlementAndAutoConfirmInParallel_OneTransition()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturingLoggerProvider();
        // The receipt service says at Information which source recorded the receipt.
        var settings = new Dictionary<string, string?> { ["Logging:LogLevel:WeStore.Application.Fulfilment.ReceiptService"] = "Information" };
        await using var store = await StoreFixture.StartAsync(settings, s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<ILoggerProvider>(logs);
        });
        var (token, orderNo, stem) = await ShippedAsync(store);
        ReceivedAtWeChat(store, orderNo);
        time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1)); // the auto-confirm is due too
        token = await store.LoginAsync(stem);
        var openId = store.OpenIdOf(stem);
        var settlement = new PushEventMessage(FulfilmentData.SettlementEvent(openId, orderNo, time.GetUtcNow()), time.GetUtcNow());
        var due = new FulfilmentDueMessage("2026-01-01", DueKind.AutoConfirm, [new DueOrder(openId, orderNo)]);

        var racers = Enumerable.Range(0, 4).SelectMany(_ => new Func<Task>[]
        {
            async () => Assert.Equal(HttpStatusCode.OK, (await FulfilmentData.ConfirmByBuyerAsync(store, token, orderNo)).StatusCode),
            () => store.RunQueueFunctionWithRetriesAsync("HandleMiniProgramEventFunction", settlement),
            () => store.RunQueueFunctionWithRetriesAsync("HandleDueOrdersFunction", due),
        }).ToList();
        await Task.WhenAll(racers.Select(r => Task.Run(r)));
        await store.IdleAsync();

        var order = (await store.Service<IOrderRepository>().GetAsync(openId, orderNo, default))!;
        Assert.Equal(OrderStatus.Received, order.Status);
        var recorded = logs.Lines.Where(l => l.Contains($"Order {orderNo} received", StringComparison.Ordinal)).ToList();
        Assert.Single(recorded);
        Assert.Contains(order.Fulfilment.ReceiptSource!.Value.ToString(), recorded[0], StringComparison.Ordinal);
    }
}
