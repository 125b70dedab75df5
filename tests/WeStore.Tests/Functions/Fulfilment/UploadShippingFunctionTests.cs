using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Operations;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Fulfilment;

/// <summary>
/// Each class of WeChat's upload errcodes: transient ones are retried with back-off, the "already shipped" family is
/// reconciled with get_order (never re-uploaded blindly), and the rest fail for good where operators see them.
/// </summary>
public sealed class UploadShippingFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static async Task<ShippingUpload> LedgerAsync(StoreFixture store, string stem, string orderNo)
        => (await TryLedgerAsync(store, stem, orderNo))!;

    private static Task<ShippingUpload?> TryLedgerAsync(StoreFixture store, string stem, string orderNo)
        => store.Service<IShippingUploadRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default);

    private static Task UploadNowAsync(StoreFixture store, string stem, string orderNo)
        => store.RunQueueFunctionAsync("UploadShippingFunction", new ShippingUploadMessage(store.OpenIdOf(stem), orderNo));

    [Theory]
    [InlineData(-1)]
    [InlineData(10060012)]
    [InlineData(10060019)]
    public async Task Upload_Busy_RetriedThenUploaded(int errcode)
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        // -1 is also retried inside the client (WeChat:MaxRetries is 1 here): fail both calls of the first attempt.
        FulfilmentData.FailUploads(store, errcode, count: errcode == -1 ? 2 : 1);

        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        await Eventually.TrueAsync(async () => (await TryLedgerAsync(store, stem, orderNo))?.Attempts >= 1, TimeSpan.FromSeconds(30), "the first attempt was recorded");
        var first = await LedgerAsync(store, stem, orderNo);
        // The delayed retry, delivered now (or found done, if its delay has already passed).
        await UploadNowAsync(store, stem, orderNo);

        Assert.True(first.State == UploadState.Uploaded || (first.LastErrorCode == errcode && first.Retries == 1), $"{first.State} {first.LastErrorCode}");
        var done = await LedgerAsync(store, stem, orderNo);
        Assert.Equal(UploadState.Uploaded, done.State);
        Assert.Equal(2, done.Attempts); // one failed, one taken: the failure was retried, not final
        Assert.DoesNotContain(errcode, FulfilmentData.Shipping(store).UploadFaults);
        var atWeChat = await FulfilmentData.AtWeChatAsync(store, orderNo);
        Assert.Equal(1, atWeChat.GetProperty("sandbox").GetProperty("accepted_uploads").GetInt32());
    }

    [Fact]
    public async Task Upload_PaymentNotFoundJustAfterPayment_Retried()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        FulfilmentData.FailUploads(store, 10060001);

        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        await Eventually.TrueAsync(async () => (await TryLedgerAsync(store, stem, orderNo))?.Attempts >= 1, TimeSpan.FromSeconds(30), "the first attempt was recorded");
        await UploadNowAsync(store, stem, orderNo);

        // Soon after payment, "payment not found" is WeChat not having ingested it yet: retried, then taken.
        var ledger = await LedgerAsync(store, stem, orderNo);
        Assert.Equal(UploadState.Uploaded, ledger.State);
        Assert.Equal(2, ledger.Attempts);
    }

    [Fact]
    public async Task Upload_PaymentNotFoundLongAfterPayment_FailedAndVisible()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        time.Advance(TimeSpan.FromMinutes(30));
        FulfilmentData.FailUploads(store, 10060001);

        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        await store.IdleAsync();

        await AssertFailedAndVisibleAsync(store, stem, orderNo, 10060001);
    }

    [Theory]
    [InlineData(10060014)]
    [InlineData(268485216)]
    [InlineData(10060031)]
    public async Task Upload_Refused_FailedForGoodAndVisible(int errcode)
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        FulfilmentData.FailUploads(store, errcode);

        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        await store.IdleAsync();
        var uploadsBefore = store.Sandbox.State.Count("wxa/sec/order/upload_shipping_info");
        await UploadNowAsync(store, stem, orderNo); // a redelivery does not try again

        await AssertFailedAndVisibleAsync(store, stem, orderNo, errcode);
        Assert.Equal(uploadsBefore, store.Sandbox.State.Count("wxa/sec/order/upload_shipping_info"));
    }

    [Fact]
    public async Task Upload_BusyEveryTime_FailsAfterMaxRetries()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        FulfilmentData.FailUploads(store, 10060019, ShippingUpload.MaxRetries);

        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        await store.IdleAsync();
        for (var i = 1; i < ShippingUpload.MaxRetries; i++) await UploadNowAsync(store, stem, orderNo);

        await AssertFailedAndVisibleAsync(store, stem, orderNo, 10060019);
        Assert.Equal(ShippingUpload.MaxRetries, (await LedgerAsync(store, stem, orderNo)).Attempts);
    }

    [Fact]
    public async Task Upload_AnswerLostThenSentAgain_10060023Reconciled()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        await store.IdleAsync();
        // WeChat took the upload but the answer never arrived: the ledger still says nothing went.
        var uploads = store.Service<IShippingUploadRepository>();
        var taken = await LedgerAsync(store, stem, orderNo);
        var lost = ShippingUpload.Restore(taken.OpenId, taken.OrderNo, UploadState.Pending, null, null, [], false, 0, 0, null, null, null, taken.UpdatedAt, taken.Version);
        Assert.True(await uploads.TrySaveAsync(lost, default));

        await UploadNowAsync(store, stem, orderNo);

        var ledger = await LedgerAsync(store, stem, orderNo);
        Assert.Equal(UploadState.Uploaded, ledger.State);
        Assert.True(ledger.Complete);
        var atWeChat = (await FulfilmentData.AtWeChatAsync(store, orderNo)).GetProperty("sandbox");
        Assert.Equal(1, atWeChat.GetProperty("accepted_uploads").GetInt32());
        Assert.Equal([10060023], atWeChat.GetProperty("refused_errcodes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(atWeChat.GetProperty("reship_used").GetBoolean());
    }

    [Fact]
    public async Task Upload_CompleteAtWeChatAlready_10060002ReconciledByGetOrder()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store, quantity: 3);
        // The first package goes up split; then someone completes the shipment in the MP console with both numbers.
        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1, "YTO", "YT-A"));
        await store.IdleAsync();
        var shipment = FulfilmentData.Shipping(store).Shipments.Values.Single(s => s.OutTradeNo == orderNo);
        lock (shipment)
        {
            shipment.ShippingList.Add(new System.Text.Json.Nodes.JsonObject { ["tracking_no"] = "YT-B", ["express_company"] = "YTO", ["goods_desc"] = "x" });
            shipment.FinishShipping = true;
            shipment.FinishShippingCount = 1;
            shipment.OrderState = 2;
        }

        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2, "YTO", "YT-B"));
        await store.IdleAsync();

        var ledger = await LedgerAsync(store, stem, orderNo);
        Assert.Equal(UploadState.Uploaded, ledger.State);
        Assert.True(ledger.Complete);
        Assert.Equal(["P1", "P2"], ledger.UploadedPackages);
        Assert.Contains(10060002, (await FulfilmentData.AtWeChatAsync(store, orderNo)).GetProperty("sandbox").GetProperty("refused_errcodes").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Upload_RefundedAtWeChat_10060004NotRequired()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        // Refunded in full at WeChat Pay (by the merchant platform, say) before the store ships.
        var transaction = store.Sandbox.Pay.Transactions[orderNo];
        lock (transaction) transaction.Refunds.Add(new WeStore.Sandbox.SandboxRefund { OutRefundNo = "R-" + orderNo, RefundId = "5000", Amount = transaction.Total, Status = "SUCCESS" });

        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        await store.IdleAsync();

        var ledger = await LedgerAsync(store, stem, orderNo);
        Assert.Equal(UploadState.NotRequired, ledger.State);
        Assert.Equal(10060004, ledger.LastErrorCode);
        Assert.Equal(5, (await FulfilmentData.AtWeChatAsync(store, orderNo)).GetProperty("order_state").GetInt32());
    }

    [Fact]
    public async Task Upload_ReshipChanceUsed_10060003FailedAndVisible()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        FulfilmentData.FailUploads(store, 10060003);

        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));
        await store.IdleAsync();

        await AssertFailedAndVisibleAsync(store, stem, orderNo, 10060003);
    }

    [Fact]
    public async Task Upload_ConcurrentDeliveries_OneUpload()
    {
        var store = shared.Store;
        var (_, orderNo, stem, sku) = await FulfilmentData.PaidOrderAsync(store);
        await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 2));

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => UploadNowAsync(store, stem, orderNo)));
        await store.IdleAsync();

        Assert.Equal(1, (await FulfilmentData.AtWeChatAsync(store, orderNo)).GetProperty("sandbox").GetProperty("accepted_uploads").GetInt32());
        Assert.Equal(UploadState.Uploaded, (await LedgerAsync(store, stem, orderNo)).State);
    }

    private static async Task AssertFailedAndVisibleAsync(StoreFixture store, string stem, string orderNo, int errcode)
    {
        var ledger = await LedgerAsync(store, stem, orderNo);
        Assert.Equal(UploadState.Failed, ledger.State);
        Assert.Equal(errcode, ledger.LastErrorCode);
        Assert.Contains(orderNo, await FulfilmentData.ListAsync(store, "uploadFailed"));
        var alerts = await FulfilmentData.OperatorGetAsync(store, "/api/manage/alerts");
        Assert.Contains(alerts.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("kind").GetString() == AlertKinds.ShippingUploadFailed && a.GetProperty("orderNo").GetString() == orderNo);
        var operatorView = await FulfilmentData.OperatorGetAsync(store, $"/api/manage/orders/{orderNo}");
        Assert.Equal("failed", operatorView.GetProperty("fulfilment").GetProperty("upload").GetProperty("state").GetString());
    }
}
