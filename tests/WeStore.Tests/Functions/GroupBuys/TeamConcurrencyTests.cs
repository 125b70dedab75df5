using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using WeStore.Domain.GroupBuys;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.GroupBuys;

/// <summary>Many members at once: seats never exceed a team's size, nobody sits twice, every seat is one order.</summary>
public sealed class TeamConcurrencyTests
{
    [Fact]
    public async Task Join_200ConcurrentJoinersOnTeamsOfThree_NeverOverFilledAndInvariantsHold()
    {
        await using var store = await StoreFixture.StartAsync();
        var (groupBuyId, sku) = await GroupBuyData.CreateAsync(store, teamSize: 3, stock: 1000, shards: 4);
        var teams = new List<string>();
        var orders = new ConcurrentBag<(string OpenId, string OrderNo)>();
        for (var i = 0; i < 30; i++)
        {
            var stem = TestData.NewId("lead");
            var (teamId, orderNo) = await GroupBuyData.SeatOfAsync(await GroupBuyData.OpenAsync(store, await store.LoginAsync(stem), groupBuyId));
            teams.Add(teamId);
            orders.Add((store.OpenIdOf(stem), orderNo));
        }

        var joiners = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var stem = "join" + i.ToString("D3") + Guid.NewGuid().ToString("N")[..6];
            return (Stem: stem, Token: await store.LoginAsync(stem));
        }));
        var seated = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var refused = 0;
        await Task.WhenAll(joiners.Select(async (joiner, i) =>
        {
            // Each joiner tries up to four teams, spread so that every team is crowded by some 25 joiners.
            for (var attempt = 0; attempt < 4; attempt++)
            {
                var teamId = teams[(i + attempt * 7) % teams.Count];
                var response = await GroupBuyData.JoinAsync(store, joiner.Token, teamId, key: $"join-{attempt}");
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var (_, orderNo) = await GroupBuyData.SeatOfAsync(response);
                    Assert.True(seated.TryAdd(joiner.Stem, teamId), "a joiner was seated twice");
                    orders.Add((store.OpenIdOf(joiner.Stem), orderNo));
                    return;
                }

                var problem = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode} {problem}");
                if (problem.Contains("group_buy_limit_reached", StringComparison.Ordinal)) break;
            }

            Interlocked.Increment(ref refused);
        }));

        var seats = 0;
        foreach (var teamId in teams)
        {
            var team = await GroupBuyData.TeamAsync(store, teamId);
            var taken = team.GetProperty("seatsTaken").GetInt32();
            Assert.InRange(taken, 1, 3);
            seats += taken;
        }

        Assert.Equal(30 + seated.Count, seats);
        Assert.Equal(200, seated.Count + refused);
        Assert.Equal(Math.Min(200, 60), seated.Count);
        await store.IdleAsync();
        Assert.Empty(await Invariants.CheckAsync(store, [sku], orders.ToList()));
    }
}
