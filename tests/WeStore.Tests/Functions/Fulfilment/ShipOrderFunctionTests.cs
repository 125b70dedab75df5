using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Domain.Orders;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Fulfilment;

public sealed class ShipOrderFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Ship_CancelledOrClosedUnpaid_409_PendingPayment_404()
    {
        var store = shared.Store;
        var (token, cancelled, _, sku) = await store.PlaceOrderAsync();
        var (_, closed, closedStem, closedSku) = await store.PlaceOrderAsync();
        var (_, pending, _, pendingSku) = await store.PlaceOrderAsync();
        Assert.True((await store.Client.SendAsync(TestData.Authorized(HttpMethod.Post, $"/api/orders/{cancelled}/cancel", token))).IsSuccessStatusCode);
        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage(store.OpenIdOf(closedStem), closed, [closedSku]));

        var shipCancelled = await FulfilmentData.ShipAsync(store, cancelled, FulfilmentData.Express(sku, 2));
        var shipClosed = await FulfilmentData.ShipAsync(store, closed, FulfilmentData.Express(closedSku, 2));
        // Placing an order writes nothing outside the member's partition (2 + 2 per SKU), so an order still awaiting
        // payment is not the operators' yet: no paid order has its number.
        var shipPending = await FulfilmentData.ShipAsync(store, pending, FulfilmentData.Express(pendingSku, 2));

        Assert.Equal(HttpStatusCode.Conflict, shipCancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, shipClosed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, shipPending.StatusCode);
        Assert.Equal("application/problem+json", shipClosed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Ship_Refunded_409_NothingShipped()
    {
        var store = shared.Store;
        var (token, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);
        await RefundFullyAsync(store, orderNo);

        var response = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var order = await store.GetOrderAsync(token, orderNo);
        Assert.Equal("refunded", order.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("fulfilment").ValueKind);
    }

    [Fact]
    public async Task Ship_AlreadyShippedOrCompleted_409()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        Assert.Equal(HttpStatusCode.OK, (await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2))).StatusCode);

        var again = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1));
        var repo = store.Service<IOrderRepository>();
        var order = (await repo.GetAsync(store.OpenIdOf(stem), orderNo, default))!;
        order.ConfirmReceipt(DateTimeOffset.UtcNow, ReceiptSource.Buyer);
        order.Complete(DateTimeOffset.UtcNow);
        Assert.True(await repo.TrySaveAsync(order, default));
        var completed = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, completed.StatusCode);
    }

    [Fact]
    public async Task Ship_BadShipments_400_NothingWritten()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store, quantity: 20);
        var cases = new (string Name, object Body)[]
        {
            ("16 packages", new { logisticsType = "express", packages = Enumerable.Range(0, 16).Select(_ => FulfilmentData.Package(sku, 1)).ToArray() }),
            ("unknown express company", FulfilmentData.Express(sku, 1, "NOSUCHCARRIER")),
            ("empty tracking number", FulfilmentData.Express(sku, 1, "YTO", "")),
            ("quantity beyond the order", FulfilmentData.Express(sku, 21)),
            ("a SKU not in the order", FulfilmentData.Express("sku-elsewhere", 1)),
            ("split pickup", new { logisticsType = "pickup", packages = new[] { new { items = new[] { new { skuId = sku, quantity = 1 } } }, new { items = new[] { new { skuId = sku, quantity = 1 } } } } }),
            ("no packages", new { logisticsType = "express", packages = Array.Empty<object>() }),
            ("unknown logistics type", new { logisticsType = "teleport", packages = new[] { FulfilmentData.Package(sku, 1) } }),
        };
        await store.IdleAsync();
        var counter = store.Service<StorageRequestCounter>();
        var writes = counter.Writes;

        foreach (var (name, body) in cases)
        {
            var response = await FulfilmentData.ShipAsync(store, orderNo, body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(0, counter.Writes - writes);
        Assert.Empty((await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!.Fulfilment.Packages);
    }

    [Fact]
    public async Task Ship_15PackagesThenOneMore_400()
    {
        var store = shared.Store;
        var (_, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store, quantity: 20);

        var fifteen = await FulfilmentData.ShipAsync(store, orderNo, new { logisticsType = "express", packages = Enumerable.Range(0, 15).Select(_ => FulfilmentData.Package(sku, 1)).ToArray() });
        var sixteenth = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1));

        Assert.Equal(HttpStatusCode.OK, fifteen.StatusCode);
        Assert.Equal("partiallyShipped", (await fifteen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, sixteenth.StatusCode);
    }

    [Fact]
    public async Task Ship_NoIdempotencyKey_400_UnknownOrder_404_NoKey_401()
    {
        var store = shared.Store;
        var (_, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);
        var withoutKey = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/orders/{orderNo}/shipments") { Content = TestData.Json(JsonSerializer.Serialize(FulfilmentData.Express(sku, 2))) };
        withoutKey.Headers.Add("x-functions-key", RunningHost.MasterKey);
        var anonymous = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/orders/{orderNo}/shipments") { Content = TestData.Json(JsonSerializer.Serialize(FulfilmentData.Express(sku, 2))) };
        anonymous.Headers.Add("Idempotency-Key", "k1");

        Assert.Equal(HttpStatusCode.BadRequest, (await store.Client.SendAsync(withoutKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await store.Client.SendAsync(anonymous)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await FulfilmentData.ShipAsync(store, "WSNOSUCHORDER000000000000", FulfilmentData.Express(sku, 2))).StatusCode);
    }

    [Fact]
    public async Task Ship_ConcurrentWithSameKey_OnePackage()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2, "YTO", "YT-SAME"), key: "same-key")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single((await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!.Fulfilment.Packages);
    }

    [Fact]
    public async Task Ship_ConcurrentDifferentKeys_NeverBeyondOrdered()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store, quantity: 5);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1))));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.True(r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, $"{r.StatusCode}"));
        var order = (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!;
        Assert.Equal(5, order.Fulfilment.ShippedQuantity(sku));
        Assert.Equal(OrderStatus.Shipped, order.Status);
    }

    /// <summary>
    /// Ship and a full refund at once, many times over: each order ends shipped (refund refused or after), refunded
    /// (ship refused), or refunded after shipping with both recorded; never a shipment the order does not hold, or a
    /// refund it does not hold, and the invariants hold.
    /// </summary>
    [Fact]
    public async Task Ship_RacingFullRefund_BothRecordedOrOneRefused()
    {
        var store = shared.Store;
        var orders = new List<(string OrderNo, string Stem, string Sku)>();
        for (var i = 0; i < 8; i++)
        {
            var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
            orders.Add((orderNo, stem, sku));
        }

        var outcomes = await Task.WhenAll(orders.Select(async o =>
        {
            var ship = FulfilmentData.ShipAsync(store, o.OrderNo, FulfilmentData.Express(o.Sku, 2));
            var refund = RefundRequestAsync(store, o.OrderNo);
            return (o, Ship: await ship, Refund: await refund);
        }));
        foreach (var (o, _, refund) in outcomes.Where(x => x.Refund.IsSuccessStatusCode))
        {
            var outRefundNo = (await refund.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outRefundNo").GetString()!;
            await store.CompleteRefundAtSandboxAsync(o.OrderNo, outRefundNo);
        }

        await store.IdleAsync();
        var repo = store.Service<IOrderRepository>();
        foreach (var (o, ship, refund) in outcomes)
        {
            var order = (await repo.GetAsync(store.OpenIdOf(o.Stem), o.OrderNo, default))!;
            Assert.Equal(ship.IsSuccessStatusCode, order.Fulfilment.Packages.Count == 1);
            Assert.Equal(refund.IsSuccessStatusCode, order.Refunds.Count == 1);
            Assert.True(ship.IsSuccessStatusCode || refund.IsSuccessStatusCode, $"{o.OrderNo}: both refused");
            if (refund.IsSuccessStatusCode) Assert.Equal(OrderStatus.Refunded, order.Status);
            else Assert.Equal(OrderStatus.Shipped, order.Status);
        }

        Assert.Empty(await Invariants.CheckAsync(store, [.. orders.Select(o => o.Sku)], [.. orders.Select(o => (store.OpenIdOf(o.Stem), o.OrderNo))]));
    }

    [Fact]
    public async Task Ship_StorageRequests_Eight()
    {
        var sender = new CountingMessageSender[1];
        await using var store = await StoreFixture.StartAsync(services: s => CountingMessageSender.Install(s, sender));
        var (_, warm, _, warmSku) = await FulfilmentData.PaidOrderAsync(store);
        var (_, orderNo, _, sku) = await FulfilmentData.PaidOrderAsync(store);
        await FulfilmentData.ShipAsync(store, warm, FulfilmentData.Express(warmSku, 2)); // every table and queue exists
        await store.IdleAsync();
        // The consumers are held back, so only the request's own requests are counted; each held send is one.
        sender[0].Hold(WeStore.Domain.Fulfilment.FulfilmentQueues.ShippingUpload, WeStore.Domain.Fulfilment.FulfilmentQueues.OrderShipped);
        var counter = store.Service<StorageRequestCounter>();
        var before = counter.Total;

        var response = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The number's lookup and the order; the order's save; the index moved (add shipped, remove toShip); the
        // auto-confirm entry; the upload and notice messages.
        Assert.Equal(2, sender[0].Held.Count);
        Assert.Equal(8, counter.Total - before + sender[0].Held.Count);
    }

    private static async Task<HttpResponseMessage> RefundRequestAsync(StoreFixture store, string orderNo)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/orders/{orderNo}/refunds") { Content = TestData.Json(JsonSerializer.Serialize(new { reason = "顾客取消" })) };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        return await store.Client.SendAsync(request);
    }

    private static async Task RefundFullyAsync(StoreFixture store, string orderNo)
    {
        var response = await RefundRequestAsync(store, orderNo);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var outRefundNo = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outRefundNo").GetString()!;
        await store.CompleteRefundAtSandboxAsync(orderNo, outRefundNo);
    }
}
