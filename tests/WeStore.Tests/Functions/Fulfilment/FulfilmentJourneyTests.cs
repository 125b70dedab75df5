using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WeStore.Domain.Fulfilment;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Fulfilment;

/// <summary>After payment, over HTTP: ship, the upload at WeChat, the buyer confirming in WeChat, receipt, completion.</summary>
public sealed class FulfilmentJourneyTests
{
    [Fact]
    public async Task Journey_ShipUploadConfirmInWeChatThenComplete_OverHttp()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var counter = new CountingMessageSender[1];
        await using var store = await StoreFixture.StartAsync(services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            CountingMessageSender.Install(s, counter);
        });
        var (token, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        Assert.Contains(orderNo, await FulfilmentData.ListAsync(store, "toShip"));

        var shipped = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2, "SF", "SF1234567890"), key: "ship-1");
        var replay = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2, "SF", "SF1234567890"), key: "ship-1");
        var reused = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1, "SF", "SF999"), key: "ship-1");
        await store.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        Assert.Equal("shipped", (await shipped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        var atWeChat = await FulfilmentData.AtWeChatAsync(store, orderNo);
        Assert.Equal(2, atWeChat.GetProperty("order_state").GetInt32());
        var shipping = atWeChat.GetProperty("shipping");
        Assert.True(shipping.GetProperty("finish_shipping").GetBoolean());
        Assert.Equal(1, shipping.GetProperty("delivery_mode").GetInt32());
        var package = Assert.Single(shipping.GetProperty("shipping_list").EnumerateArray());
        Assert.Equal("SF1234567890", package.GetProperty("tracking_no").GetString());
        Assert.Equal("138****8000", package.GetProperty("contact").GetProperty("receiver_contact").GetString());
        Assert.Equal(1, atWeChat.GetProperty("sandbox").GetProperty("accepted_uploads").GetInt32());

        var view = await store.GetOrderAsync(token, orderNo);
        Assert.Equal("shipped", view.GetProperty("status").GetString());
        Assert.Equal("uploaded", view.GetProperty("fulfilment").GetProperty("upload").GetProperty("state").GetString());
        Assert.Equal("SF1234567890", view.GetProperty("fulfilment").GetProperty("packages")[0].GetProperty("trackingNo").GetString());
        Assert.Contains(orderNo, await FulfilmentData.ListAsync(store, "shipped"));
        Assert.DoesNotContain(orderNo, await FulfilmentData.ListAsync(store, "toShip"));

        var confirmed = await FulfilmentData.ConfirmInWeChatAsync(store, orderNo);
        Assert.Equal(200, confirmed.GetProperty("pushStatus").GetInt32());
        Assert.Equal("success", confirmed.GetProperty("pushBody").GetString());
        await store.IdleAsync();
        var received = await store.GetOrderAsync(token, orderNo);
        Assert.Equal("received", received.GetProperty("status").GetString());
        Assert.Equal("weChat", received.GetProperty("fulfilment").GetProperty("receiptSource").GetString());

        // The buyer's own tap afterwards changes nothing.
        var tap = await FulfilmentData.ConfirmByBuyerAsync(store, token, orderNo);
        Assert.Equal(HttpStatusCode.OK, tap.StatusCode);
        Assert.Equal("weChat", (await tap.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fulfilment").GetProperty("receiptSource").GetString());

        // Nothing completes before the after-sale window closes; after it, the timer completes the order once.
        await store.RunQueueFunctionAsync("RunFulfilmentScheduleFunction", new { });
        await store.IdleAsync();
        Assert.Equal("received", (await store.GetOrderAsync(token, orderNo)).GetProperty("status").GetString());
        time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await store.RunQueueFunctionAsync("RunFulfilmentScheduleFunction", new { });
        await store.IdleAsync();
        await store.RunQueueFunctionAsync("RunFulfilmentScheduleFunction", new { });
        await store.IdleAsync();

        // A week on, the session has expired: the buyer opens the Mini Program again.
        token = await store.LoginAsync(stem);
        var completed = await store.GetOrderAsync(token, orderNo);
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(1, counter[0].Sent(FulfilmentQueues.OrderCompleted));
        Assert.DoesNotContain(orderNo, await FulfilmentData.ListAsync(store, "received"));
        Assert.Empty(await Invariants.CheckAsync(store, [sku], [(store.OpenIdOf(stem), orderNo)]));
    }

    [Fact]
    public async Task SplitShipment_TwoPackages_SplitModeThenAllDelivered()
    {
        await using var store = await StoreFixture.StartAsync();
        var (token, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store, quantity: 3);

        var first = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1, "YTO", "YT1"));
        await store.IdleAsync();
        var between = await FulfilmentData.AtWeChatAsync(store, orderNo);
        var second = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2, "ZTO", "ZT2"));
        await store.IdleAsync();

        Assert.Equal("partiallyShipped", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(between.GetProperty("shipping").GetProperty("finish_shipping").GetBoolean());
        var atWeChat = await FulfilmentData.AtWeChatAsync(store, orderNo);
        Assert.Equal(2, atWeChat.GetProperty("shipping").GetProperty("delivery_mode").GetInt32());
        Assert.True(atWeChat.GetProperty("shipping").GetProperty("finish_shipping").GetBoolean());
        Assert.Equal(["YT1", "ZT2"], atWeChat.GetProperty("shipping").GetProperty("shipping_list").EnumerateArray().Select(p => p.GetProperty("tracking_no").GetString()));
        var view = (await store.GetOrderAsync(token, orderNo)).GetProperty("fulfilment");
        Assert.Equal(["P1", "P2"], view.GetProperty("upload").GetProperty("uploadedPackages").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("split", view.GetProperty("upload").GetProperty("deliveryMode").GetString());
    }

    [Fact]
    public async Task NotManaged_ShipsLocally_UploadsNothing()
    {
        await using var store = await StoreFixture.StartAsync();
        FulfilmentData.Shipping(store).TradeManaged = false;
        var (token, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);

        var shipped = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        await store.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        Assert.Equal(0, store.Sandbox.State.Count("wxa/sec/order/upload_shipping_info"));
        Assert.Equal("notManaged", (await store.GetOrderAsync(token, orderNo)).GetProperty("fulfilment").GetProperty("upload").GetProperty("state").GetString());
    }

    [Fact]
    public async Task ShippedNotice_OnlyToAMemberWhoGranted_OncePerPackage()
    {
        await using var store = await StoreFixture.StartAsync();
        var (_, granted, grantedStem, sku) = await FulfilmentData.PaidOrderAsync(store);
        var (_, notGranted, _, sku2) = await FulfilmentData.PaidOrderAsync(store);
        var client = store.Sandbox.Client();
        var grant = await client.PostAsync($"{store.Sandbox.Url}/sandbox/subscriptions/{store.OpenIdOf(grantedStem)}?templateId=tmpl-order-shipped", null);
        Assert.Equal(200, (await grant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pushStatus").GetInt32());
        await store.IdleAsync();

        await FulfilmentData.ShipAsync(store, granted, FulfilmentData.Express(sku, 2));
        await FulfilmentData.ShipAsync(store, notGranted, FulfilmentData.Express(sku2, 2));
        await store.IdleAsync();
        // The same event again (a redelivery) sends nothing more.
        await store.RunQueueFunctionAsync("NotifyShippedFunction", new OrderShippedMessage(store.OpenIdOf(grantedStem), granted, ["P1"]));

        var sent = store.Sandbox.State.SubscribeMessages.Where(m => m.TemplateId == "tmpl-order-shipped").ToList();
        var message = Assert.Single(sent);
        Assert.Equal(store.OpenIdOf(grantedStem), message.OpenId);
        Assert.Contains(granted, message.Data, StringComparison.Ordinal);
    }
}
