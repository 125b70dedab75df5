using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Domain.Common;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Reconciliation;

/// <summary>The day's trade bill against the store's books, over HTTP: matched, planted differences, refusals.</summary>
public sealed class ReconciliationFunctionTests
{
    private static string Today => BusinessCalendar.DayOf(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> RunAsync(StoreFixture store, string day, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/reconciliation/{day}/run");
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        var response = await store.Client.SendAsync(request);
        return (response.StatusCode, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default);
    }

    private static async Task PlantAsync(StoreFixture store, object fault)
    {
        var client = store.Sandbox.Client();
        var response = await client.PostAsJsonAsync($"{store.Sandbox.Url}/sandbox/pay/bill-faults", fault);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Three paid orders, one refunded in part; every order-paid event handled (the ledger written).</summary>
    private static async Task<IReadOnlyList<string>> DayOfTradeAsync(StoreFixture store)
    {
        var orders = new List<string>();
        for (var i = 0; i < 3; i++) orders.Add((await FulfilmentData.PaidOrderAsync(store)).OrderNo);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/orders/{orders[0]}/refunds") { Content = TestData.Json("{\"amount\":500,\"reason\":\"少发一件\"}") };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        request.Headers.Add("Idempotency-Key", "r1");
        var refund = await store.Client.SendAsync(request);
        Assert.True(refund.IsSuccessStatusCode, await refund.Content.ReadAsStringAsync());
        await store.CompleteRefundAtSandboxAsync(orders[0], (await refund.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outRefundNo").GetString()!);
        await store.IdleAsync();
        return orders;
    }

    [Fact]
    public async Task Run_DayOfTrade_EverythingMatched_ArchivedAndReadBack()
    {
        await using var store = await StoreFixture.StartAsync();
        await DayOfTradeAsync(store);

        var (status, result) = await RunAsync(store, Today);
        var read = await FulfilmentData.OperatorGetAsync(store, $"/api/manage/reconciliation/{Today}");
        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/manage/reconciliation/{Today}");
        csvRequest.Headers.Add("x-functions-key", RunningHost.MasterKey);
        csvRequest.Headers.Add("Accept", "text/csv");
        var csv = await (await store.Client.SendAsync(csvRequest)).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("compared", result.GetProperty("outcome").GetString());
        Assert.True(result.GetProperty("clean").GetBoolean(), result.ToString());
        Assert.Equal(4, result.GetProperty("matched").GetInt32()); // three payments and a refund
        Assert.Equal(3 * 2000, result.GetProperty("matchedPayments").GetInt64());
        Assert.Equal(500, result.GetProperty("matchedRefunds").GetInt64());
        Assert.Equal($"bills/{Today}.csv.gz", result.GetProperty("archive").GetString());
        Assert.Equal(result.GetProperty("matched").GetInt32(), read.GetProperty("matched").GetInt32());
        Assert.StartsWith("day,outcome", csv, StringComparison.Ordinal);
        var container = await store.Service<WeStore.Storage.StorageClients>().GetContainerAsync("bills");
        Assert.True(await container.GetBlobClient($"{Today}.csv.gz").ExistsAsync());
    }

    [Fact]
    public async Task Run_PlantedDifferences_EachFoundAndNothingElse_ReRunTheSame()
    {
        await using var store = await StoreFixture.StartAsync();
        var orders = await DayOfTradeAsync(store);
        await PlantAsync(store, new { day = Today, kind = "missing", outTradeNo = orders[1] });
        await PlantAsync(store, new { day = Today, kind = "amount", outTradeNo = orders[2] });
        await PlantAsync(store, new { day = Today, kind = "extra", outTradeNo = "WSEXTRA000000000000000001" });

        var (_, first) = await RunAsync(store, Today);
        var (_, second) = await RunAsync(store, Today);

        var differences = first.GetProperty("differences").EnumerateArray().Select(d => (d.GetProperty("kind").GetString(), d.GetProperty("orderNo").GetString())).ToList();
        Assert.Equal(3, differences.Count);
        Assert.Contains(("inStoreNotInBill", orders[1]), differences);
        Assert.Contains(("amountDiffers", orders[2]), differences);
        Assert.Contains(("inBillNotInStore", "WSEXTRA000000000000000001"), differences);
        var amount = first.GetProperty("differences").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == "amountDiffers");
        Assert.Equal(2000, amount.GetProperty("storeAmount").GetInt64());
        Assert.Equal(2001, amount.GetProperty("billAmount").GetInt64());
        Assert.False(first.GetProperty("clean").GetBoolean());
        Assert.Equal(2, first.GetProperty("matched").GetInt32()); // the first order's payment and its refund
        Assert.Equal(first.GetProperty("differences").ToString(), second.GetProperty("differences").ToString());
        Assert.Equal(first.GetProperty("matched").GetInt32(), second.GetProperty("matched").GetInt32());
        var alerts = await FulfilmentData.OperatorGetAsync(store, "/api/manage/alerts");
        Assert.Contains(alerts.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("kind").GetString() == "reconciliationDifferences");
    }

    [Fact]
    public async Task Run_HashDoesNotMatch_RefusedNotParsed_SummaryOff_Refused()
    {
        await using var store = await StoreFixture.StartAsync();
        await DayOfTradeAsync(store);
        await PlantAsync(store, new { day = Today, kind = "hash" });

        var (_, hash) = await RunAsync(store, Today);
        var client = store.Sandbox.Client();
        await client.DeleteAsync($"{store.Sandbox.Url}/sandbox/pay/bill-faults");
        await PlantAsync(store, new { day = Today, kind = "summary" });
        var (_, summary) = await RunAsync(store, Today);

        Assert.Equal("hashMismatch", hash.GetProperty("outcome").GetString());
        Assert.Equal(0, hash.GetProperty("billLines").GetInt32());
        Assert.Empty(hash.GetProperty("differences").EnumerateArray());
        Assert.False(hash.GetProperty("clean").GetBoolean());
        Assert.Equal("summaryMismatch", summary.GetProperty("outcome").GetString());
        Assert.False(summary.GetProperty("clean").GetBoolean());
    }

    [Fact]
    public async Task Run_DayWithoutTrade_NoBill_Clean()
    {
        await using var store = await StoreFixture.StartAsync();
        var yesterday = BusinessCalendar.DayOf(DateTimeOffset.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var (status, result) = await RunAsync(store, yesterday);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("noBill", result.GetProperty("outcome").GetString());
        Assert.True(result.GetProperty("clean").GetBoolean());
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("tomorrow")]
    [InlineData("2999-01-01")]
    [InlineData("2020-01-01")]
    public async Task Routes_BadDay_400(string day)
    {
        await using var store = await StoreFixture.StartAsync();
        var (status, _) = await RunAsync(store, day);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Get_NotRunYet_404()
    {
        await using var store = await StoreFixture.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/manage/reconciliation/{Today}");
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);

        Assert.Equal(HttpStatusCode.NotFound, (await store.Client.SendAsync(request)).StatusCode);
    }
}
