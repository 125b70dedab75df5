using WeStore.Domain.GroupBuys;
using WeStore.Domain.Orders;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Chaos;

/// <summary>Failed group-buy teams settling through 5% storage faults: each paid member refunded once, against their own order.</summary>
public sealed class FailedTeamRefundTests
{
    [Fact]
    public async Task FailedTeams_5PercentStorageFaults_EachMemberRefundedExactlyOnceAgainstOwnOrder()
    {
        var (store, clock) = await GroupBuyData.StartTimedAsync(new()
        {
            ["Storage:Faults:ErrorRate"] = "0.02",
            ["Storage:Faults:DropRate"] = "0.02",
            ["Storage:Faults:TimeoutRate"] = "0.01",
            ["Storage:Faults:TimeoutMs"] = "50",
        });
        await using var _store = store;
        var faults = store.Service<FaultInjectionPolicy>();
        faults.Paused = true; // a calm setup
        var (groupBuyId, sku) = await GroupBuyData.CreateAsync(store, teamSize: 3, teamHours: 1, stock: 100, shards: 2);
        var teams = new List<string>();
        var paid = new List<(string OpenId, string OrderNo)>();
        for (var t = 0; t < 5; t++)
        {
            var leaderStem = TestData.NewId("lead");
            var (teamId, leaderOrder) = await GroupBuyData.SeatOfAsync(await GroupBuyData.OpenAsync(store, await store.LoginAsync(leaderStem), groupBuyId));
            var friendStem = TestData.NewId("friend");
            var (_, friendOrder) = await GroupBuyData.SeatOfAsync(await GroupBuyData.JoinAsync(store, await store.LoginAsync(friendStem), teamId));
            teams.Add(teamId);
            paid.Add((store.OpenIdOf(leaderStem), leaderOrder));
            paid.Add((store.OpenIdOf(friendStem), friendOrder));
        }

        foreach (var (_, orderNo) in paid) await store.PayAsync(orderNo);
        await Eventually.TrueAsync(async () =>
        {
            foreach (var teamId in teams) if ((await GroupBuyData.TeamAsync(store, teamId)).GetProperty("paidSeats").GetInt32() != 2) return false;
            return true;
        }, TimeSpan.FromSeconds(30), "every seat is paid");

        // The deadline passes with every team one short; the settlement runs through the faults.
        faults.Paused = false;
        SegmentData.Advance(store, clock, TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var unsettled = teams.ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        while (unsettled.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(700);
            // WeChat Pay finishes every refund it was asked for (its notification goes through the faults too).
            foreach (var (_, orderNo) in paid)
            {
                foreach (var refund in store.Sandbox.Pay.Transactions[orderNo].Refunds.Where(r => r.Status == "PROCESSING").ToList())
                {
                    await store.Sandbox.Client().PostAsync($"{store.Sandbox.Url}/sandbox/pay/{orderNo}?refund={Uri.EscapeDataString(refund.OutRefundNo)}", null);
                }
            }

            faults.Paused = true;
            try
            {
                var settled = new List<string>();
                foreach (var teamId in unsettled) if (await store.Service<IGroupBuyStore>().GetTeamAsync(teamId, default) is { IsSettled: true, Status: TeamStatus.Failed }) settled.Add(teamId);
                unsettled.RemoveAll(settled.Contains);
            }
            catch (Azure.RequestFailedException)
            {
                // checked again next round
            }

            faults.Paused = unsettled.Count == 0;
        }

        faults.Paused = true;
        Assert.True(unsettled.Count == 0, "not settled after 150 s: " + string.Join(", ", unsettled));
        Assert.True(faults.Injected > 0, "no fault was injected");
        foreach (var (openId, orderNo) in paid)
        {
            var atWeChatPay = store.Sandbox.Pay.Transactions[orderNo];
            // One refund, of the whole amount, under the order's own number.
            Assert.Equal([orderNo + "-FULL"], atWeChatPay.Refunds.Select(r => r.OutRefundNo));
            Assert.Equal(atWeChatPay.Total, atWeChatPay.Refunds.Where(r => r.Status == "SUCCESS").Sum(r => r.Amount));
            var order = await store.Service<IOrderRepository>().GetAsync(openId, orderNo, default);
            Assert.Equal(OrderStatus.Refunded, order!.Status);
        }

        await store.IdleAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(await Invariants.CheckAsync(store, [sku], paid));
    }
}
