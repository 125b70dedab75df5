using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Domain.Orders;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Fulfilment;

public sealed class ImportShipmentsFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Import_GoodAndBadLines_GoodApplied_ReimportChangesNothing()
    {
        var store = shared.Store;
        var (_, whole, wholeStem, _) = await FulfilmentData.PaidOrderAsync(store);
        var (_, split, splitStem, splitSku) = await FulfilmentData.PaidOrderAsync(store, quantity: 3);
        var (_, unpaid, _, _) = await store.PlaceOrderAsync();
        var csv = "orderNo,expressCompany,trackingNo,skuId,quantity\n"
            + $"{whole},YTO,YT100\n"                    // everything left, one package
            + $"{split},ZTO,ZT1,{splitSku},1\n"        // part of the order
            + $"{split},ZTO,ZT2,{splitSku},5\n"        // beyond what is left
            + $"{split},NOSUCH,NS1,{splitSku},1\n"     // a carrier WeChat does not know
            + $"{unpaid},YTO,YT200\n"                  // not a paid order
            + $"{whole},YTO,\n"                        // no tracking number
            + "garbage line\n";

        var first = await FulfilmentData.ImportAsync(store, csv);
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>();
        var again = await FulfilmentData.ImportAsync(store, csv);
        var againBody = await again.Content.ReadFromJsonAsync<JsonElement>();
        await store.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(["shipped", "shipped", "refused", "refused", "refused", "invalid", "invalid"], Outcomes(firstBody));
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], firstBody.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal(2, firstBody.GetProperty("shipped").GetInt32());
        Assert.Equal(["unchanged", "unchanged", "refused", "refused", "refused", "invalid", "invalid"], Outcomes(againBody));
        Assert.Equal(0, againBody.GetProperty("shipped").GetInt32());

        var repo = store.Service<IOrderRepository>();
        var wholeOrder = (await repo.GetAsync(store.OpenIdOf(wholeStem), whole, default))!;
        var splitOrder = (await repo.GetAsync(store.OpenIdOf(splitStem), split, default))!;
        Assert.Equal(OrderStatus.Shipped, wholeOrder.Status);
        Assert.Equal("YT100", Assert.Single(wholeOrder.Fulfilment.Packages).TrackingNo);
        Assert.Equal(OrderStatus.PartiallyShipped, splitOrder.Status);
        Assert.Equal(1, Assert.Single(splitOrder.Fulfilment.Packages).Items.Sum(i => i.Quantity));
    }

    [Fact]
    public async Task Import_SeveralLinesOnePackage_OnePackageOfSeveralSkus()
    {
        var store = shared.Store;
        var skuA = TestData.NewId("sku");
        var skuB = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (skuA, 500, 10, 1), (skuB, 800, 10, 1));
        var stem = TestData.NewId("buyer");
        var token = await store.LoginAsync(stem);
        var placed = await store.PlaceAsync(token, "k-" + Guid.NewGuid().ToString("N")[..8], TestData.Order((skuA, 1), (skuB, 2)));
        var orderNo = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        await store.PayAsync(orderNo);
        await Eventually.TrueAsync(async () => await FulfilmentData.FindOpenIdAsync(store, orderNo) is not null, TimeSpan.FromSeconds(20), "the order is indexed");

        var response = await FulfilmentData.ImportAsync(store, $"{orderNo},SF,SF77,{skuA},1\r\n{orderNo},SF,SF77,{skuB},2\r\n");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(["shipped", "shipped"], Outcomes(body));
        var order = (await store.Service<IOrderRepository>().GetAsync(store.OpenIdOf(stem), orderNo, default))!;
        var package = Assert.Single(order.Fulfilment.Packages);
        Assert.Equal(2, package.Items.Count);
        Assert.Equal(OrderStatus.Shipped, order.Status);
    }

    [Fact]
    public async Task Import_WrongMediaTypeOrUnreadable_4xx()
    {
        var store = shared.Store;
        var json = new HttpRequestMessage(HttpMethod.Post, "/api/manage/shipments/import") { Content = TestData.Json("{}") };
        json.Headers.Add("x-functions-key", RunningHost.MasterKey);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await store.Client.SendAsync(json)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await FulfilmentData.ImportAsync(store, "")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await FulfilmentData.ImportAsync(store, "not,a\nshipment file")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await FulfilmentData.ImportAsync(store, new string('x', 1024 * 1024 + 10))).StatusCode);
    }

    private static List<string> Outcomes(JsonElement body) => [.. body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()!)];
}
