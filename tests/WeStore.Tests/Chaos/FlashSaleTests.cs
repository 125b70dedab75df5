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

/// <summary>A live-stream drop in miniature: 2,000 buyers at concurrency 64 for 100 units; exactly 100 orders, all paid.</summary>
public sealed class FlashSaleTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task FlashSale_2000BuyersStock100Concurrency64_Exactly100Orders_PaidAndInvariantsHold()
    {
        var store = shared.Store;
        var sku = TestData.NewId("flash");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 990, 100, 8));
        var stems = Enumerable.Range(0, 2000).Select(i => TestData.NewId("fan" + i)).ToArray();
        using var gate = new SemaphoreSlim(64);
        var tokens = await Task.WhenAll(stems.Select(async s => await Gated(gate, () => store.LoginAsync(s))));

        var results = await Task.WhenAll(stems.Select((s, i) => Gated(gate, async () =>
        {
            using var response = await store.PlaceAsync(tokens[i], "flash", TestData.Order((sku, 1)));
            return (Stem: s, response.StatusCode, OrderNo: response.StatusCode == HttpStatusCode.Created
                ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString() : null);
        })));

        var won = results.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Equal(100, won.Count);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await Task.WhenAll(won.Select(w => Gated(gate, () => store.PayAsync(w.OrderNo!))));
        var orders = won.Select(w => (store.OpenIdOf(w.Stem), w.OrderNo!)).ToList();
        await Eventually.TrueAsync(() => store.Service<IStockRepository>().GetLevelAsync(sku, default).Result!.Sold == 100, TimeSpan.FromSeconds(60), "every paid order's stock was sold");

        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((0L, 0L, 100L), (level!.Available, level.Held, level.Sold));
        Assert.Empty(await Invariants.CheckAsync(store, [sku], orders));
    }

    private static async Task<T> Gated<T>(SemaphoreSlim gate, Func<Task<T>> action)
    {
        await gate.WaitAsync();
        try
        {
            return await action();
        }
        finally
        {
            gate.Release();
        }
    }
}
