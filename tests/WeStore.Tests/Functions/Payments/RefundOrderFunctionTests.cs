using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WeStore.Domain.Orders;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Payments;

public sealed class RefundOrderFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static async Task<(StoreFixture Store, string Token, string OrderNo)> PaidOrderAsync()
    {
        var store = await StoreFixture.StartAsync();
        var (token, orderNo, _, _) = await store.PlaceOrderAsync(quantity: 2, price: 1000);
        await store.PayAsync(orderNo);
        return (store, token, orderNo);
    }

    private static async Task<HttpResponseMessage> RefundAsync(StoreFixture store, string orderNo, object body, string? key = null, bool withMasterKey = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/orders/{orderNo}/refunds") { Content = TestData.Json(JsonSerializer.Serialize(body)) };
        if (withMasterKey) request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await store.Client.SendAsync(request);
    }

    [Fact]
    public async Task Refund_Full_ThenRefundSuccessNotify_OrderRefunded()
    {
        var (store, token, orderNo) = await PaidOrderAsync();
        await using var _ = store;

        var response = await RefundAsync(store, orderNo, new { reason = "顾客申请退款" });
        var refund = await response.Content.ReadFromJsonAsync<JsonElement>();
        var notify = await store.CompleteRefundAtSandboxAsync(orderNo, refund.GetProperty("outRefundNo").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2000, refund.GetProperty("amount").GetInt64());
        Assert.Equal(204, notify.GetProperty("notifyStatus").GetInt32());
        Assert.Equal("refunded", (await store.GetOrderAsync(token, orderNo)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Refund_PartialTwiceWithSameKey_RefundedOnce_ThenPartiallyRefunded()
    {
        var (store, token, orderNo) = await PaidOrderAsync();
        await using var _ = store;

        var first = await RefundAsync(store, orderNo, new { amount = 500, reason = "少发一件" }, key: "r1");
        var again = await RefundAsync(store, orderNo, new { amount = 500, reason = "少发一件" }, key: "r1");
        var outRefundNo = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outRefundNo").GetString()!;
        await store.CompleteRefundAtSandboxAsync(orderNo, outRefundNo);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(store.Sandbox.Pay.Transactions[orderNo].Refunds);
        Assert.Equal("partiallyRefunded", (await store.GetOrderAsync(token, orderNo)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Refund_MoreThanPaid_409AndNothingSent()
    {
        var (store, _, orderNo) = await PaidOrderAsync();
        await using var _ = store;
        await RefundAsync(store, orderNo, new { amount = 1500, reason = "部分退款" }, key: "r1");

        var tooMuch = await RefundAsync(store, orderNo, new { amount = 501, reason = "再退" }, key: "r2");
        var sameKeyOtherAmount = await RefundAsync(store, orderNo, new { amount = 100, reason = "再退" }, key: "r1");

        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, sameKeyOtherAmount.StatusCode);
        Assert.Single(store.Sandbox.Pay.Transactions[orderNo].Refunds);
    }

    [Fact]
    public async Task Refund_PartialWithoutKey_400()
    {
        var (store, _, orderNo) = await PaidOrderAsync();
        await using var _ = store;

        Assert.Equal(HttpStatusCode.BadRequest, (await RefundAsync(store, orderNo, new { amount = 100, reason = "x" })).StatusCode);
    }

    [Fact]
    public async Task Refund_UnpaidOrder_409_UnknownOrder_404_NoKey_401()
    {
        var store = shared.Store;
        var (_, orderNo, _, _) = await store.PlaceOrderAsync();

        Assert.Equal(HttpStatusCode.Conflict, (await RefundAsync(store, orderNo, new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await RefundAsync(store, "WSNOSUCHORDER00000000000000", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefundAsync(store, orderNo, new { reason = "x" }, withMasterKey: false)).StatusCode);
    }

    [Theory]
    [InlineData("""{"reason":""}""")]
    [InlineData("""{"amount":0,"reason":"x"}""")]
    [InlineData("""{"amount":-100,"reason":"x"}""")]
    [InlineData("""{"amount":1.5,"reason":"x"}""")]
    [InlineData("""{"reason":"x","reason":"y"}""")]
    public async Task Refund_BadBody_400(string body)
    {
        var (store, _, orderNo) = await PaidOrderAsync();
        await using var _ = store;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/orders/{orderNo}/refunds") { Content = TestData.Json(body) };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);

        Assert.Equal(HttpStatusCode.BadRequest, (await store.Client.SendAsync(request)).StatusCode);
        Assert.Empty(store.Sandbox.Pay.Transactions[orderNo].Refunds);
    }

    [Fact]
    public async Task RefundNotify_Closed_RefundFailedAndAmountRefundableAgain_AMinuteLater()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var (token, orderNo, _, _) = await store.PlaceOrderAsync(quantity: 2, price: 1000);
        await store.PayAsync(orderNo);
        var response = await RefundAsync(store, orderNo, new { amount = 2000, reason = "退款" }, key: "r1");
        var outRefundNo = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outRefundNo").GetString()!;

        await store.CompleteRefundAtSandboxAsync(orderNo, outRefundNo, closed: true);
        var tooSoon = await RefundAsync(store, orderNo, new { amount = 2000, reason = "退款" }, key: "r2");
        time.Advance(TimeSpan.FromMinutes(1));
        var retry = await RefundAsync(store, orderNo, new { amount = 2000, reason = "退款" }, key: "r2");

        Assert.Equal("paid", (await store.GetOrderAsync(token, orderNo)).GetProperty("status").GetString());
        // WeChat Pay wants a minute between refunds of one payment: asked sooner, the store says when.
        Assert.Equal((HttpStatusCode)429, tooSoon.StatusCode);
        Assert.True(tooSoon.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }
}
