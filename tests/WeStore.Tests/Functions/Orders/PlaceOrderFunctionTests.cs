using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Domain.Catalog;
using WeStore.Domain.Orders;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Orders;

public sealed class PlaceOrderFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Place_AbandonedAttemptLeftAHold_InProgressThenAdoptedAfter30s_StockTakenOnce()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 10, 1));
        var stem = TestData.NewId("buyer");
        var token = await store.LoginAsync(stem);
        // An earlier attempt with this key held the stock, then never wrote the order (its answer was lost, or it crashed).
        var orderNo = WeStore.Application.Orders.OrderNumbers.FromIdempotencyKey(store.OpenIdOf(stem), "k-abandoned");
        var first = await store.Service<IStockRepository>().ReserveAsync(orderNo, sku, 2, 1, default);
        Assert.Equal(ReservationOutcome.Reserved, first.Outcome);
        // The hold's age is measured from storage's timestamp of it: start the app's clock there, not at the store's
        // start-up, which may take more than the second of slack that 31 s leaves over the 30 s threshold.
        time.SetUtcNow(DateTimeOffset.UtcNow);

        using var early = await store.PlaceAsync(token, "k-abandoned", TestData.Order((sku, 2)));
        time.Advance(TimeSpan.FromSeconds(31));
        using var later = await store.PlaceAsync(token, "k-abandoned", TestData.Order((sku, 2)));
        using var again = await store.PlaceAsync(token, "k-abandoned", TestData.Order((sku, 2)));

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode); // the first attempt might still be running
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.Equal(orderNo, (await later.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString());
        Assert.Equal(HttpStatusCode.Created, again.StatusCode); // a replay of the stored answer
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((8L, 2L, 0L), (level!.Available, level.Held, level.Sold));
    }

    [Fact]
    public async Task Place_ClientSendsPrices_ServerPricesFromCatalog()
    {
        var store = shared.Store;
        var (a, b) = (TestData.NewId("sku"), TestData.NewId("sku"));
        await store.ImportSkusAsync(TestData.NewId("p"), (a, 1999, 10, 1), (b, 500, 10, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));
        var body = new
        {
            items = new object[] { new { skuId = a, quantity = 2, price = 1 }, new { skuId = b, quantity = 1, unitPrice = 0 } },
            address = TestData.Address(),
            amounts = new { payable = 1 },
            payable = 1,
        };

        var response = await store.PlaceAsync(token, "k1", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4498, json.GetProperty("amounts").GetProperty("subtotal").GetInt64());
        Assert.Equal(4498, json.GetProperty("amounts").GetProperty("payable").GetInt64());
        Assert.Equal(4498, store.Sandbox.Pay.Transactions[json.GetProperty("orderNo").GetString()!].Total);
    }

    [Fact]
    public async Task Place_Success_PaymentParametersAndOrderPending()
    {
        var store = shared.Store;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 5, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));

        var response = await store.PlaceAsync(token, "k1", TestData.Order((sku, 3)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var orderNo = json.GetProperty("orderNo").GetString()!;
        Assert.Matches("^[0-9A-Za-z_-]{6,32}$", orderNo);
        Assert.Equal("pendingPayment", json.GetProperty("status").GetString());
        var payment = json.GetProperty("payment");
        Assert.StartsWith("prepay_id=", payment.GetProperty("package").GetString());
        Assert.Equal("RSA", payment.GetProperty("signType").GetString());
        Assert.Equal(10, payment.GetProperty("timeStamp").GetString()!.Length);
        var order = await store.GetOrderAsync(token, orderNo);
        Assert.Equal(3000, order.GetProperty("amounts").GetProperty("payable").GetInt64());
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((5L, 2L, 3L, 0L), (level!.Received, level.Available, level.Held, level.Sold));
    }

    public static TheoryData<string> BadItems => new()
    {
        """[{"skuId":"S","quantity":0}]""",
        """[{"skuId":"S","quantity":-1}]""",
        """[{"skuId":"S","quantity":100}]""",
        """[{"skuId":"S","quantity":2147483648}]""",
        """[{"skuId":"S","quantity":1e30}]""",
        """[{"skuId":"S","quantity":1.5}]""",
        """[{"skuId":"S","quantity":"2"}]""",
        """[{"skuId":"S"}]""",
        """[{"skuId":"S","quantity":1},{"skuId":"S","quantity":1}]""",
        """[{"skuId":"S' or PartitionKey ne '","quantity":1}]""",
        """[]""",
        """null""",
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public async Task Place_BadItems_400AndNothingWritten(string items)
    {
        var store = shared.Store;
        var prepaysBefore = store.Sandbox.Pay.Count("prepay");
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 5, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));
        var counter = store.Service<StorageRequestCounter>();
        await store.IdleAsync();
        var before = counter.Total;
        var body = $$"""{"items":{{items.Replace("\"S", "\"" + sku, StringComparison.Ordinal)}},"address":{{JsonSerializer.Serialize(TestData.Address())}}}""";

        var request = TestData.Authorized(HttpMethod.Post, "/api/orders", token, TestData.Json(body));
        request.Headers.Add("Idempotency-Key", "k1");
        var response = await store.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, counter.Total);
        Assert.Equal(prepaysBefore, store.Sandbox.Pay.Count("prepay"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task Place_BadIdempotencyKey_400(string? key)
    {
        var store = shared.Store;
        var token = await store.LoginAsync(TestData.NewId("buyer"));
        var request = TestData.Authorized(HttpMethod.Post, "/api/orders", token, TestData.Json(JsonSerializer.Serialize(TestData.Order(("x", 1)))));
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var response = await store.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Place_NoToken_401()
    {
        var store = shared.Store;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = TestData.Json(JsonSerializer.Serialize(TestData.Order(("x", 1)))) };
        request.Headers.Add("Idempotency-Key", "k");

        Assert.Equal(HttpStatusCode.Unauthorized, (await store.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Place_UnknownOrOffSaleSku_400AndOtherHoldsReleased()
    {
        var store = shared.Store;
        var (good, off) = (TestData.NewId("sku"), TestData.NewId("sku"));
        await store.ImportSkusAsync(TestData.NewId("p"), (good, 100, 5, 1));
        await store.ImportAsync(new
        {
            products = new[] { new { id = TestData.NewId("p"), name = "off", onSale = true, skus = new[] { new { id = off, name = "off", price = 100, stock = 5, onSale = false } } } },
        });
        var token = await store.LoginAsync(TestData.NewId("buyer"));

        var unknown = await store.PlaceAsync(token, "k1", TestData.Order((good, 1), ("nope" + Guid.NewGuid().ToString("N")[..6], 1)));
        var offSale = await store.PlaceAsync(token, "k2", TestData.Order((good, 1), (off, 1)));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, offSale.StatusCode);
        var level = await store.Service<IStockRepository>().GetLevelAsync(good, default);
        Assert.Equal((5L, 0L), (level!.Available, level.Held));
    }

    [Fact]
    public async Task Place_200ConcurrentBuyersStock50_Exactly50OrdersAnd150Conflicts()
    {
        var store = shared.Store;
        var prepaysBefore = store.Sandbox.Pay.Count("prepay");
        var sku = TestData.NewId("hot");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 990, 50, 1));
        var tokens = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => store.LoginAsync(TestData.NewId("fan" + i))));

        var responses = await Task.WhenAll(tokens.Select(t => store.PlaceAsync(t, "flash", TestData.Order((sku, 1)))));

        var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(50, statuses.GetValueOrDefault(HttpStatusCode.Created));
        Assert.Equal(150, statuses.GetValueOrDefault(HttpStatusCode.Conflict));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        }

        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((50L, 0L, 50L), (level!.Received, level.Available, level.Held));
        Assert.Equal(prepaysBefore + 50, store.Sandbox.Pay.Count("prepay"));
    }

    [Fact]
    public async Task Place_HotSkuInShards_NeverOversold()
    {
        var store = shared.Store;
        var sku = TestData.NewId("hot");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 990, 40, 4));
        var tokens = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => store.LoginAsync(TestData.NewId("fan" + i))));

        var responses = await Task.WhenAll(tokens.Select(t => store.PlaceAsync(t, "flash", TestData.Order((sku, 1)))));

        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.InRange(created, 37, 40); // a buyer may find every shard it tries already empty only at the very end
        Assert.Equal(40L, level!.Available + level.Held);
        Assert.Equal(created, level.Held);
        Assert.True(level.Available >= 0);
    }

    [Fact]
    public async Task Place_PrepayFailsAfterStockHeld_StockUnchanged()
    {
        await using var store = await StoreFixture.StartAsync(new() { ["WeChatPay:BaseUrl"] = $"http://127.0.0.1:{TestStorage.FreePort()}" });
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 5, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));

        var response = await store.PlaceAsync(token, "k1", TestData.Order((sku, 2)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((5L, 0L), (level!.Available, level.Held));
    }

    [Fact]
    public async Task Place_OrderWriteFailsAfterPrepay_StockUnchanged()
    {
        await using var store = await StoreFixture.StartAsync(services: s =>
            s.AddSingleton<IOrderRepository>(sp => new FailingOrderRepository(ActivatorUtilities.CreateInstance(sp, OrderRepositoryType()))));
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 5, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));

        var response = await store.PlaceAsync(token, "k1", TestData.Order((sku, 2)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((5L, 0L), (level!.Available, level.Held));
    }

    [Fact]
    public async Task Place_SameKeyConcurrently_OneOrder()
    {
        var store = shared.Store;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 50, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => store.PlaceAsync(token, "same-key", TestData.Order((sku, 2)))));
        var retry = await store.PlaceAsync(token, "same-key", TestData.Order((sku, 2)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        var bodies = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(bodies[0], await retry.Content.ReadAsStringAsync());
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((48L, 2L), (level!.Available, level.Held));
        var list = await (await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/orders", token))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, list.GetProperty("orders").GetArrayLength());
    }

    [Fact]
    public async Task Place_SameKeyOtherBody_409()
    {
        var store = shared.Store;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, 50, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));
        await store.PlaceAsync(token, "k1", TestData.Order((sku, 1)));

        var response = await store.PlaceAsync(token, "k1", TestData.Order((sku, 3)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((49L, 1L), (level!.Available, level.Held));
    }

    [Fact]
    public async Task Place_StorageRequests_TwoPlusTwoPerSku()
    {
        var store = shared.Store;
        var (a, b) = (TestData.NewId("sku"), TestData.NewId("sku"));
        await store.ImportSkusAsync(TestData.NewId("p"), (a, 100, 50, 1), (b, 200, 50, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));
        Assert.Equal(HttpStatusCode.Created, (await store.PlaceAsync(token, "warm", TestData.Order((a, 1)))).StatusCode);
        var counter = store.Service<StorageRequestCounter>();
        await store.IdleAsync();

        var before = counter.Total;
        var response = await store.PlaceAsync(token, "measured", TestData.Order((a, 1), (b, 2)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // The timeout message and the order row; a read and a batch per SKU. Nothing of the member's is read: the
        // attribution is copied onto the order when it is paid or closed.
        Assert.Equal(2 + (2 * 2), counter.Total - before);
    }

    private static Type OrderRepositoryType() => typeof(StorageRequestCounter).Assembly.GetType("WeStore.Storage.Orders.OrderRepository")!;

    private sealed class FailingOrderRepository(object inner) : IOrderRepository
    {
        private readonly IOrderRepository _inner = (IOrderRepository)inner;

        public Task<Order?> GetAsync(string openId, string orderNo, CancellationToken cancellationToken) => _inner.GetAsync(openId, orderNo, cancellationToken);

        public Task<bool> TryCreateAsync(Order order, CancellationToken cancellationToken)
            => throw new Azure.RequestFailedException(503, "injected: storage unavailable");

        public Task<OrderCreation> TryCreateWithAsync(Order order, WeStore.Domain.Coupons.Coupon? reservedCoupon, WeStore.Domain.Loyalty.PointsAccount? points, CancellationToken cancellationToken)
            => throw new Azure.RequestFailedException(503, "injected: storage unavailable");

        public Task<bool> TrySaveAsync(Order order, CancellationToken cancellationToken) => _inner.TrySaveAsync(order, cancellationToken);

        public Task<OrderPage> ListAsync(string openId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
            => _inner.ListAsync(openId, continuationToken, pageSize, cancellationToken);
    }
}
