using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WeStore.Domain.Catalog;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Payments;

public sealed class PaymentNotificationTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static Task<StoreFixture> StartAsync(CountingMessageSender[] counter, FakeTimeProvider? time = null)
        => StoreFixture.StartAsync(services: s =>
        {
            CountingMessageSender.Install(s, counter);
            if (time is not null) s.AddSingleton<TimeProvider>(time);
        });

    private static async Task<string> StatusAsync(StoreFixture store, string token, string orderNo)
        => (await store.GetOrderAsync(token, orderNo)).GetProperty("status").GetString()!;

    [Fact]
    public async Task Pay_ThroughSandbox_204OrderPaidAndStockSold()
    {
        var store = shared.Store;
        var (token, orderNo, _, sku) = await store.PlaceOrderAsync();

        var report = await store.PayAsync(orderNo);

        Assert.Equal(204, report.GetProperty("notifyStatus").GetInt32());
        Assert.Equal("paid", await StatusAsync(store, token, orderNo));
        var stock = store.Service<IStockRepository>();
        await Eventually.TrueAsync(() => stock.GetLevelAsync(sku, default).Result!.Sold == 2, TimeSpan.FromSeconds(15), "the order-paid consumer marked the stock sold");
    }

    public enum Forgery
    {
        TamperedBody,
        TamperedTimestampHeader,
        WrongSigningKey,
        WrongApiV3Key,
        UnknownSerial,
        SignTestProbe,
        StaleTimestamp,
        FutureTimestamp,
        MalformedJson,
        MissingSignature,
        MissingSerial,
        PrettyPrintedBody,
    }

    [Theory]
    [InlineData(Forgery.TamperedBody, 401)]
    [InlineData(Forgery.TamperedTimestampHeader, 401)]
    [InlineData(Forgery.WrongSigningKey, 401)]
    [InlineData(Forgery.WrongApiV3Key, 400)]
    [InlineData(Forgery.UnknownSerial, 401)]
    [InlineData(Forgery.SignTestProbe, 401)]
    [InlineData(Forgery.StaleTimestamp, 401)]
    [InlineData(Forgery.FutureTimestamp, 401)]
    [InlineData(Forgery.MalformedJson, 400)]
    [InlineData(Forgery.MissingSignature, 401)]
    [InlineData(Forgery.MissingSerial, 401)]
    [InlineData(Forgery.PrettyPrintedBody, 401)]
    public async Task Notify_Forged_RejectedWithFailAndNothingChanged(Forgery forgery, int expected)
    {
        var counter = new CountingMessageSender[1];
        await using var store = await StartAsync(counter);
        var (token, orderNo, stem, _) = await store.PlaceOrderAsync();
        var resource = SignedNotifications.Transaction(store.Sandbox, orderNo, store.OpenIdOf(stem), 2000);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var otherKey = RSA.Create(2048);
        var valid = SignedNotifications.Build(store.Sandbox, resource);

        var notification = forgery switch
        {
            Forgery.TamperedBody => valid with { Body = valid.Body.Replace("encrypt-resource", "encrypt-resourcE", StringComparison.Ordinal) },
            Forgery.TamperedTimestampHeader => valid with { Headers = new(valid.Headers) { ["Wechatpay-Timestamp"] = (now - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            Forgery.WrongSigningKey => SignedNotifications.Build(store.Sandbox, resource, signWith: otherKey),
            Forgery.WrongApiV3Key => SignedNotifications.Build(store.Sandbox, resource, apiV3Key: "0123456789abcdef0123456789abcdef"),
            Forgery.UnknownSerial => SignedNotifications.Build(store.Sandbox, resource, serial: "PUB_KEY_ID_0000000000000000"),
            Forgery.SignTestProbe => valid with { Headers = new(valid.Headers) { ["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/" + valid.Headers["Wechatpay-Signature"] } },
            Forgery.StaleTimestamp => SignedNotifications.Build(store.Sandbox, resource, timestamp: now - 301),
            Forgery.FutureTimestamp => SignedNotifications.Build(store.Sandbox, resource, timestamp: now + 301),
            Forgery.MalformedJson => SignedNotifications.Sign(store.Sandbox, "{\"id\":\"x\",\"resource\":"),
            Forgery.MissingSignature => valid with { Headers = valid.Headers.Where(h => h.Key != "Wechatpay-Signature").ToDictionary() },
            Forgery.MissingSerial => valid with { Headers = valid.Headers.Where(h => h.Key != "Wechatpay-Serial").ToDictionary() },
            Forgery.PrettyPrintedBody => valid,
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        var body = forgery == Forgery.PrettyPrintedBody
            ? JsonSerializer.Serialize(JsonDocument.Parse(valid.Body).RootElement, new JsonSerializerOptions { WriteIndented = true })
            : null;

        var response = await store.Client.SendAsync(notification.ToRequest(bodyOverride: body));

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("FAIL", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("pendingPayment", await StatusAsync(store, token, orderNo));
        Assert.Equal(0, counter[0].Sent(OrderQueues.Paid));
    }

    [Fact]
    public async Task Notify_HeaderNamesInAnyCase_Accepted()
    {
        var store = shared.Store;
        var (token, orderNo, stem, _) = await store.PlaceOrderAsync();
        var valid = SignedNotifications.Build(store.Sandbox, SignedNotifications.Transaction(store.Sandbox, orderNo, store.OpenIdOf(stem), 2000));
        var lower = valid with { Headers = valid.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value) };

        var response = await store.Client.SendAsync(lower.ToRequest());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("paid", await StatusAsync(store, token, orderNo));
    }

    [Fact]
    public async Task Notify_UnknownOrder_404Fail()
    {
        var store = shared.Store;
        var notification = SignedNotifications.Build(store.Sandbox, SignedNotifications.Transaction(store.Sandbox, "WSUNKNOWN0000000000000000", "oNobody", 100));

        var response = await store.Client.SendAsync(notification.ToRequest());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("FAIL", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Notify_OversizedBody_413()
    {
        var store = shared.Store;
        var response = await store.Client.PostAsync("/api/pay/notify", TestData.Json("{\"pad\":\"" + new string('x', 70_000) + "\"}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Notify_20ConcurrentCopies_OneTransitionOneEvent()
    {
        var counter = new CountingMessageSender[1];
        await using var store = await StartAsync(counter);
        var (token, orderNo, stem, _) = await store.PlaceOrderAsync();
        var notification = SignedNotifications.Build(store.Sandbox, SignedNotifications.Transaction(store.Sandbox, orderNo, store.OpenIdOf(stem), 2000));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.Client.SendAsync(notification.ToRequest())));
        var again = await store.Client.SendAsync(notification.ToRequest());

        Assert.All(responses, r => Assert.Contains((int)r.StatusCode, new[] { 204, 500 }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal("paid", await StatusAsync(store, token, orderNo));
        Assert.Equal(1, counter[0].Sent(OrderQueues.Paid));
    }

    [Fact]
    public async Task Notify_StorageRequests_SixThenFulfilmentTen()
    {
        var sender = new CountingMessageSender[1];
        await using var store = await StartAsync(sender);
        // A first payment, fulfilled by the queue, creates the tables and fills the campaign cache.
        var (_, warm, _, warmSku) = await store.PlaceOrderAsync();
        await store.PayAsync(warm);
        await Eventually.TrueAsync(() => store.Service<IStockRepository>().GetLevelAsync(warmSku, default).Result!.Sold == 2, TimeSpan.FromSeconds(15), "the first order was fulfilled");
        var (_, orderNo, stem, _) = await store.PlaceOrderAsync();
        // The buyer's first login hands its unionid to the link consumer: let that finish before counting.
        await store.IdleAsync();
        sender[0].Hold(OrderQueues.Paid);
        var counter = store.Service<StorageRequestCounter>();
        var notification = SignedNotifications.Build(store.Sandbox, SignedNotifications.Transaction(store.Sandbox, orderNo, store.OpenIdOf(stem), 2000));

        var (notify, notifyOperations) = await CountAsync(counter, async () =>
            Assert.Equal(HttpStatusCode.NoContent, (await store.Client.SendAsync(notification.ToRequest())).StatusCode));
        var (fulfil, fulfilOperations) = await CountAsync(counter, () => store.RunQueueFunctionAsync("FulfilPaidOrderFunction", sender[0].Held.Single()));

        // Notify: read the order, add the outbox entry (with the member's attribution read alongside, for the order's
        // copy), save the order, (send order-paid: held here), remove the entry.
        Assert.True(notify + 1 == 6, notifyOperations);
        // Fulfil: read the order; index it (its number's lookup row, its place in the to-ship list) and put the payment
        // in the day's ledger for reconciliation; read and mark
        // the stock hold; read the points account, add the expiry index entry, save the account with its ledger and
        // marker rows in one batch. The post-purchase campaign list is cached, and an order with no coupon and no
        // attribution spends and converts nothing; last, the member's facts message (paid). The load tool's notify
        // floor makes these same operations; keep them in step.
        Assert.True(fulfil == 10, fulfilOperations);
    }

    private static async Task<(long Count, string Operations)> CountAsync(StorageRequestCounter counter, Func<Task> action)
    {
        var before = counter.Operations;
        var total = counter.Total;
        await action();
        var operations = counter.Operations
            .Select(o => (o.Key, Count: o.Value.Count - (before.TryGetValue(o.Key, out var b) ? b.Count : 0)))
            .Where(o => o.Count > 0).Select(o => $"{o.Key} x{o.Count}");
        return (counter.Total - total, string.Join(", ", operations));
    }

    [Fact]
    public async Task Notify_EnqueueFails_500ThenALaterRetrySendsTheEventOnce()
    {
        var counter = new CountingMessageSender[1];
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StartAsync(counter, time);
        var (token, orderNo, stem, _) = await store.PlaceOrderAsync();
        counter[0].FailNext(OrderQueues.Paid, 1);
        var notification = SignedNotifications.Build(store.Sandbox, SignedNotifications.Transaction(store.Sandbox, orderNo, store.OpenIdOf(stem), 2000));

        var first = await store.Client.SendAsync(notification.ToRequest());
        var tooSoon = await store.Client.SendAsync(notification.ToRequest());
        time.Advance(TimeSpan.FromSeconds(31));
        var later = await store.Client.SendAsync(notification.ToRequest());
        var afterThat = await store.Client.SendAsync(notification.ToRequest());

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal("FAIL", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.InternalServerError, tooSoon.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, later.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, afterThat.StatusCode);
        Assert.Equal(1, counter[0].Sent(OrderQueues.Paid));
        Assert.Equal("paid", await StatusAsync(store, token, orderNo));
    }

    [Fact]
    public async Task Sweeper_EventNeverSentAndNoRetry_PublishesIt()
    {
        var counter = new CountingMessageSender[1];
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StartAsync(counter, time);
        var (_, orderNo, stem, _) = await store.PlaceOrderAsync();
        counter[0].FailNext(OrderQueues.Paid, 1);
        var notification = SignedNotifications.Build(store.Sandbox, SignedNotifications.Transaction(store.Sandbox, orderNo, store.OpenIdOf(stem), 2000));
        await store.PayAsync(orderNo); // the sandbox's own notification fails to enqueue
        Assert.Equal(0, counter[0].Sent(OrderQueues.Paid));

        time.Advance(TimeSpan.FromMinutes(3));
        await store.RunQueueFunctionAsync("SweepPaymentsFunction", new { });
        await store.RunQueueFunctionAsync("SweepPaymentsFunction", new { });

        Assert.Equal(1, counter[0].Sent(OrderQueues.Paid));
        Assert.Equal(HttpStatusCode.NoContent, (await store.Client.SendAsync(notification.ToRequest())).StatusCode);
    }

    [Fact]
    public async Task Notify_AmountMismatch_FlaggedClosedStockReleasedAndRefundRequested()
    {
        var store = shared.Store;
        var (token, orderNo, stem, sku) = await store.PlaceOrderAsync();
        var notification = SignedNotifications.Build(store.Sandbox, SignedNotifications.Transaction(store.Sandbox, orderNo, store.OpenIdOf(stem), 1));

        var response = await store.Client.SendAsync(notification.ToRequest());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("closed", await StatusAsync(store, token, orderNo));
        var order = await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default);
        Assert.StartsWith("amount mismatch", order!.PaymentIssue);
        Assert.Single(order.Refunds);
        Assert.Equal(1, order.Refunds[0].Amount);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((10L, 0L, 0L), (level!.Available, level.Held, level.Sold));
    }

    [Fact]
    public async Task Notify_PaidAfterClose_NotFulfilledFlaggedAndRefunded()
    {
        var store = shared.Store;
        var (token, orderNo, stem, sku) = await store.PlaceOrderAsync();
        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage(store.OpenIdOf(stem), orderNo, [sku]));

        var report = await store.PayAsync(orderNo, force: true);

        Assert.Equal(204, report.GetProperty("notifyStatus").GetInt32());
        Assert.Equal("closed", await StatusAsync(store, token, orderNo));
        var order = await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default);
        Assert.Contains("paid after", order!.PaymentIssue);
        var refund = Assert.Single(store.Sandbox.Pay.Transactions[orderNo].Refunds);
        Assert.Equal(2000, refund.Amount);
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((10L, 0L, 0L), (level!.Available, level.Held, level.Sold));
    }

    [Fact]
    public async Task Notify_RacingTheTimeout_PaidOrClosedAndRefundedNeverBothNeverNeither()
    {
        var store = shared.Store;
        for (var i = 0; i < 6; i++)
        {
            var (token, orderNo, stem, sku) = await store.PlaceOrderAsync();
            var timeout = store.RunQueueFunctionWithRetriesAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage(store.OpenIdOf(stem), orderNo, [sku]));
            var pay = store.PayAsync(orderNo, force: true);
            await Task.WhenAll(timeout, pay);
            var report = await pay;
            if (report.GetProperty("notifyStatus").GetInt32() != 204)
            {
                // WeChat Pay would retry; so does the test.
                await store.PayAsync(orderNo, force: true);
            }

            var order = (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!;
            var refunds = store.Sandbox.Pay.Transactions[orderNo].Refunds;
            var paidAndKept = order.Status == OrderStatus.Paid && refunds.Count == 0;
            var closedAndRefunded = order.Status == OrderStatus.Closed && order.PaymentIssue is not null && refunds.Sum(r => r.Amount) == 2000;
            Assert.True(paidAndKept ^ closedAndRefunded, $"round {i}: order {order.Status}, issue '{order.PaymentIssue}', {refunds.Count} refunds");
        }
    }
}
