using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using WeStore.Domain.Catalog;
using WeStore.Domain.Loyalty;
using WeStore.Domain.Orders;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Chaos;

/// <summary>A notification storm with storage failing under it: every payment recorded once, none lost.</summary>
public sealed class NotificationStormTests
{
    [Fact]
    public async Task NotificationStorm_5PercentStorageFaults_NoPaymentLostOrAppliedTwice()
    {
        await using var store = await StoreFixture.StartAsync(new()
        {
            ["Storage:Faults:ErrorRate"] = "0.02",
            ["Storage:Faults:DropRate"] = "0.02",
            ["Storage:Faults:TimeoutRate"] = "0.01",
            ["Storage:Faults:TimeoutMs"] = "50",
        });
        var faults = store.Service<FaultInjectionPolicy>();
        faults.Paused = true; // a calm setup
        var sku = TestData.NewId("storm");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 12_300, 1000, 4));
        var buyers = new List<(string OpenId, string OrderNo)>();
        for (var i = 0; i < 30; i++)
        {
            var stem = TestData.NewId("b" + i);
            var token = await store.LoginAsync(stem);
            var response = await store.PlaceAsync(token, "storm", TestData.Order((sku, 1 + (i % 3))));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            buyers.Add((store.OpenIdOf(stem), (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!));
        }

        faults.Paused = false;
        var forger = RSA.Create(2048);
        var deliveries = await Task.WhenAll(buyers.Select(async b =>
        {
            // The shopper pays; WeChat Pay notifies (that first delivery may fail under the faults)...
            await store.PayAsync(b.OrderNo);
            var t = store.Sandbox.Pay.Transactions[b.OrderNo];
            var resource = SignedNotifications.Transaction(store.Sandbox, b.OrderNo, b.OpenId, t.Total, t.TransactionId!);
            // ...then three more copies at once, each retried until answered 204 as WeChat Pay would, and a forgery.
            var copies = Enumerable.Range(0, 3).Select(async _ =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    using var response = await store.Client.SendAsync(SignedNotifications.Build(store.Sandbox, resource).ToRequest());
                    if (response.StatusCode == HttpStatusCode.NoContent) return attempt;
                    // A copy that finds another one's recording in flight is told to retry (5xx); WeChat Pay retries over
                    // minutes, and an interrupted recording is taken over once it is 30 s old.
                    Assert.True(attempt < 90 && (int)response.StatusCode >= 500, $"{b.OrderNo}: {(int)response.StatusCode}");
                    await Task.Delay(1000);
                }
            });
            using var forged = await store.Client.SendAsync(SignedNotifications.Build(store.Sandbox, resource, signWith: forger).ToRequest());
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            return (await Task.WhenAll(copies)).Sum();
        }));

        // The order-paid consumers run through the faults too; the queue retries a failed run.
        var paid = new List<Order>();
        var pending = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        do
        {
            await Task.Delay(500);
            // The checks read through the app's storage clients, so they run calm; the app's work resumes the faults.
            faults.Paused = true;
            try
            {
                paid = [];
                pending = [];
                foreach (var b in buyers)
                {
                    var order = (await store.Service<IOrderRepository>().GetAsync(b.OpenId, b.OrderNo, default))!;
                    var account = await store.Service<IPointsRepository>().GetAsync(b.OpenId, default);
                    paid.Add(order);
                    if (order.Status != OrderStatus.Paid || account.Balance != order.PaidAmount / 100)
                    {
                        pending.Add($"{order.OrderNo} {order.Status} points {account.Balance}/{order.PaidAmount / 100}");
                    }
                }

                var held = (await store.Service<IStockRepository>().GetLevelAsync(sku, default))!.Held;
                if (held != 0) pending.Add($"{held} still held");
            }
            catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or TaskCanceledException)
            {
                pending = ["storage failed while checking: " + e.GetType().Name];
            }

            faults.Paused = pending.Count == 0;
        }
        while (pending.Count > 0 && DateTime.UtcNow < deadline);

        Assert.True(pending.Count == 0, "not fulfilled after 120 s:\n" + string.Join('\n', pending));
        faults.Paused = true;

        Assert.True(faults.Injected > 0, "no fault was injected");
        Assert.True(deliveries.Sum() > buyers.Count * 3, "every copy was accepted first time: the faults did not reach the notify path");
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal(paid.Sum(o => o.Lines.Sum(l => (long)l.Quantity)), level!.Sold);
        foreach (var b in buyers)
        {
            var ledger = await store.Service<IPointsRepository>().ReadLedgerAsync(b.OpenId, null, 100, default);
            Assert.Single(ledger.Entries, e => e.Kind == LedgerKinds.Earn);
        }

        Assert.Empty(await Invariants.CheckAsync(store, [sku], buyers));
    }
}
