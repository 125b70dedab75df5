using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Domain.GroupBuys;
using WeStore.Domain.Orders;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.GroupBuys;

/// <summary>Time and a team: a held seat freed by its order's timeout; a team failing at its deadline; a join racing that deadline.</summary>
public sealed class TeamTimeoutTests
{
    [Fact]
    public async Task HeldSeat_OrderTimesOut_SeatFreedAndTakenByAnother()
    {
        var (store, _) = await GroupBuyData.StartTimedAsync();
        await using var _store = store;
        var (groupBuyId, sku) = await GroupBuyData.CreateAsync(store, teamSize: 2);
        var leader = await store.LoginAsync(TestData.NewId("leader"));
        var (teamId, _) = await GroupBuyData.SeatOfAsync(await GroupBuyData.OpenAsync(store, leader, groupBuyId));
        var idleStem = TestData.NewId("idle");
        var slow = await store.LoginAsync(idleStem);
        var (_, slowOrder) = await GroupBuyData.SeatOfAsync(await GroupBuyData.JoinAsync(store, slow, teamId));
        var third = await store.LoginAsync(TestData.NewId("third"));
        Assert.Equal(HttpStatusCode.Conflict, (await GroupBuyData.JoinAsync(store, third, teamId)).StatusCode);

        // The slow member never pays: the order's timeout closes it and frees the seat.
        await store.RunQueueFunctionAsync("CloseUnpaidOrderFunction", new OrderTimeoutMessage(store.OpenIdOf(idleStem), slowOrder, [sku], teamId));
        Assert.Equal("closed", (await store.GetOrderAsync(slow, slowOrder)).GetProperty("status").GetString());
        var team = await GroupBuyData.TeamAsync(store, teamId);
        Assert.Equal(1, team.GetProperty("seatsTaken").GetInt32());

        var (_, thirdOrder) = await GroupBuyData.SeatOfAsync(await GroupBuyData.JoinAsync(store, third, teamId));
        Assert.Equal(2, (await GroupBuyData.TeamAsync(store, teamId)).GetProperty("seatsTaken").GetInt32());
        Assert.NotEqual(slowOrder, thirdOrder);
    }

    [Fact]
    public async Task Deadline_TeamNotFull_FailsClosesUnpaidAndRefundsPaidAgainstOwnOrder()
    {
        var (store, clock) = await GroupBuyData.StartTimedAsync();
        await using var _store = store;
        var (groupBuyId, sku) = await GroupBuyData.CreateAsync(store, teamSize: 3, teamHours: 1, stock: 10);
        var leader = await store.LoginAsync(TestData.NewId("leader"));
        var (teamId, leaderOrder) = await GroupBuyData.SeatOfAsync(await GroupBuyData.OpenAsync(store, leader, groupBuyId));
        var friend = await store.LoginAsync(TestData.NewId("friend"));
        var (_, friendOrder) = await GroupBuyData.SeatOfAsync(await GroupBuyData.JoinAsync(store, friend, teamId));
        await store.PayAsync(leaderOrder);
        await Eventually.TrueAsync(async () => (await GroupBuyData.TeamAsync(store, teamId)).GetProperty("paidSeats").GetInt32() == 1, TimeSpan.FromSeconds(20), "the leader's seat is paid");

        SegmentData.Advance(store, clock, TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(async () => await GroupBuyData.StatusAsync(store, teamId) == "failed", TimeSpan.FromSeconds(20), "the team fails at its deadline");
        var late = await store.LoginAsync(TestData.NewId("late"));
        var refused = await GroupBuyData.JoinAsync(store, late, teamId);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("team_closed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The paid order's refund is asked for under its own number and shown pending until WeChat Pay says it succeeded.
        await Eventually.TrueAsync(async () => (await store.GetOrderAsync(friend, friendOrder)).GetProperty("status").GetString() == "closed", TimeSpan.FromSeconds(20), "the unpaid order is closed");
        await Eventually.TrueAsync(async () => (await GroupBuyData.TeamForOperatorAsync(store, teamId)).GetProperty("seats").EnumerateArray().Any(s => s.GetProperty("refund").GetString() == "pending"), TimeSpan.FromSeconds(20), "the refund is pending");
        Assert.False((await GroupBuyData.TeamForOperatorAsync(store, teamId)).GetProperty("settled").GetBoolean());
        await store.CompleteRefundAtSandboxAsync(leaderOrder, leaderOrder + "-FULL");
        await Eventually.TrueAsync(async () => (await GroupBuyData.TeamForOperatorAsync(store, teamId)).GetProperty("settled").GetBoolean(), TimeSpan.FromSeconds(30), "the team is settled");

        Assert.Equal("refunded", (await store.GetOrderAsync(leader, leaderOrder)).GetProperty("status").GetString());
        var admin = await GroupBuyData.TeamForOperatorAsync(store, teamId);
        Assert.Equal([leaderOrder], admin.GetProperty("seats").EnumerateArray().Select(s => s.GetProperty("orderNo").GetString()));
        var level = await store.Service<WeStore.Domain.Catalog.IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal(10, level!.Available);
        var payments = store.Sandbox.Pay.Transactions[leaderOrder];
        Assert.Equal([leaderOrder + "-FULL"], payments.Refunds.Select(r => r.OutRefundNo));
    }

    [Fact]
    public async Task Join_RacingDeadline_OneOutcome()
    {
        var (store, clock) = await GroupBuyData.StartTimedAsync();
        await using var _store = store;
        var (groupBuyId, _) = await GroupBuyData.CreateAsync(store, teamSize: 2, teamHours: 1);
        for (var round = 0; round < 4; round++)
        {
            var leader = await store.LoginAsync(TestData.NewId("leader"));
            var (teamId, leaderOrder) = await GroupBuyData.SeatOfAsync(await GroupBuyData.OpenAsync(store, leader, groupBuyId));
            await store.PayAsync(leaderOrder);
            await Eventually.TrueAsync(async () => (await GroupBuyData.TeamAsync(store, teamId)).GetProperty("paidSeats").GetInt32() == 1, TimeSpan.FromSeconds(20), "the leader's seat is paid");
            SegmentData.Advance(store, clock, TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(200 * round));

            var friend = await store.LoginAsync(TestData.NewId("friend"));
            var join = GroupBuyData.JoinAsync(store, friend, teamId);
            var timeout = store.RunQueueFunctionWithRetriesAsync("SettleTeamFunction", new TeamTimeoutMessage(teamId, groupBuyId));
            var response = await join;
            await timeout;
            string? friendOrder = null;
            if (response.StatusCode == HttpStatusCode.Created)
            {
                (_, friendOrder) = await GroupBuyData.SeatOfAsync(response);
                // The friend pays at once; WeChat Pay may refuse if the team's end closed the order first.
                await store.Sandbox.Client().PostAsync($"{store.Sandbox.Url}/sandbox/pay/{friendOrder}", null);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            }

            SegmentData.Advance(store, clock, TimeSpan.FromMinutes(5));
            await Eventually.TrueAsync(async () => await GroupBuyData.StatusAsync(store, teamId) != "open", TimeSpan.FromSeconds(20), "the team ends");
            var team = await GroupBuyData.TeamForOperatorAsync(store, teamId);
            var status = team.GetProperty("team").GetProperty("status").GetString();
            if (status == "won")
            {
                // The join made the team full in time: both seats paid, the friend's order kept.
                Assert.NotNull(friendOrder);
                Assert.Equal(2, team.GetProperty("team").GetProperty("paidSeats").GetInt32());
                Assert.Equal("paid", (await store.GetOrderAsync(friend, friendOrder!)).GetProperty("status").GetString());
            }
            else if (friendOrder is not null)
            {
                // The join lost: its order is closed, or (paid after the deadline) refunded against itself.
                await Eventually.TrueAsync(async () => (await store.GetOrderAsync(friend, friendOrder)).GetProperty("status").GetString() is "closed" or "refunded"
                    || store.Sandbox.Pay.Transactions[friendOrder].Refunds.Any(r => r.OutRefundNo == friendOrder + "-FULL"), TimeSpan.FromSeconds(20), "the losing join's money goes back");
            }
        }
    }
}
