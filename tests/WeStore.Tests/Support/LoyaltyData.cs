using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Application.Loyalty;
using WeStore.Domain.Common;
using WeStore.Domain.Loyalty;

namespace WeStore.Tests.Support;

/// <summary>Points for tests: lots seeded as a paid order would grant them (with their index entry), and the member view.</summary>
public static class LoyaltyData
{
    /// <summary>Grants a lot for <paramref name="paidFen"/> that expires at the end of <paramref name="expiresOn"/>; returns the lot key.</summary>
    public static async Task<string> SeedLotAsync(StoreFixture store, string openId, string source, long paidFen, DateOnly expiresOn)
    {
        var rules = store.Service<LoyaltyService>().Rules;
        var grantedAt = BusinessCalendar.StartOf(expiresOn.AddMonths(-rules.LotMonths)).AddHours(10);
        var repository = store.Service<IPointsRepository>();
        for (var attempt = 0; ; attempt++)
        {
            var account = await repository.GetAsync(openId, default);
            account.Earn(source, paidFen, grantedAt, rules);
            var lot = account.LotFrom(source)!;
            Assert.Equal(expiresOn, lot.ExpiresOn);
            await store.Service<IPointsExpiryIndex>().AddAsync(lot.ExpiresOn, openId, lot.Key, default);
            if (await repository.TrySaveAsync(account, new PointsMarker("earn|" + source, lot.Granted), default) == PointsSave.Saved) return lot.Key;
            Assert.True(attempt < 5, "seeding kept conflicting");
        }
    }

    /// <summary>A logged-in member holding 1,000 points (one lot, 100 days left) and a SKU at 10 yuan with the given stock.</summary>
    public static async Task<(string Token, string OpenId, string Sku)> MemberWith1000PointsAsync(StoreFixture store, int stock, int shards = 1)
    {
        var stem = TestData.NewId("m");
        var token = await store.LoginAsync(stem);
        await SeedLotAsync(store, store.OpenIdOf(stem), "seed", 100_000, BusinessCalendar.DayOf(DateTimeOffset.UtcNow).AddDays(100));
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1000, stock, shards));
        return (token, store.OpenIdOf(stem), sku);
    }

    public static async Task<JsonElement> PointsAsync(StoreFixture store, string token, string query = "")
    {
        var response = await store.Client.SendAsync(TestData.Authorized(HttpMethod.Get, "/api/me/points" + query, token));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static long Balance(JsonElement view) => view.GetProperty("balance").GetInt64();

    /// <summary>Sums the whole ledger as stored and compares it with the stored balance.</summary>
    public static async Task AssertLedgerMatchesBalanceAsync(StoreFixture store, string openId)
    {
        var repository = store.Service<IPointsRepository>();
        var account = await repository.GetAsync(openId, default);
        var sum = await WeStore.Load.Invariants.InvariantChecker.LedgerSumAsync(repository, openId, default);

        Assert.Equal(account.Balance, sum);
        Assert.Equal(account.Balance, account.Lots.Sum(l => l.Remaining));
    }

    public static object OrderWithPoints(long pointsToUse, params (string SkuId, int Quantity)[] items) => new
    {
        items = items.Select(i => new { skuId = i.SkuId, quantity = i.Quantity }).ToArray(),
        pointsToUse,
        address = TestData.Address(),
    };
}
