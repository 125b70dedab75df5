using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Domain.GroupBuys;
using WeStore.Domain.Orders;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.GroupBuys;

/// <summary>Group-buy teams over HTTP: open, join, pay, win and ship; full and duplicate seats; a team that times out and is refunded.</summary>
public sealed class GroupBuyJourneyTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private StoreFixture Store => shared.Store;

    [Fact]
    public async Task OpenJoinPay_TeamOfTwo_WinsAndReleasesBothOrdersToShip()
    {
        var (groupBuyId, sku) = await GroupBuyData.CreateAsync(Store, teamSize: 2, groupPrice: 500);
        var leader = await Store.LoginAsync(TestData.NewId("leader"));
        var friend = await Store.LoginAsync(TestData.NewId("friend"));

        var opened = await GroupBuyData.OpenAsync(Store, leader, groupBuyId);
        var (teamId, leaderOrder) = await GroupBuyData.SeatOfAsync(opened);
        var leaderView = await Store.GetOrderAsync(leader, leaderOrder);
        Assert.Equal(500, leaderView.GetProperty("amounts").GetProperty("payable").GetInt64());
        var team = await GroupBuyData.TeamAsync(Store, teamId);
        Assert.Equal("open", team.GetProperty("status").GetString());
        Assert.Equal(1, team.GetProperty("seatsTaken").GetInt32());
        Assert.DoesNotContain(Store.OpenIdOf("leader"), team.GetRawText(), StringComparison.Ordinal);

        var (_, friendOrder) = await GroupBuyData.SeatOfAsync(await GroupBuyData.JoinAsync(Store, friend, teamId));
        await Store.PayAsync(leaderOrder);
        await Eventually.TrueAsync(async () => (await GroupBuyData.TeamAsync(Store, teamId)).GetProperty("paidSeats").GetInt32() == 1, TimeSpan.FromSeconds(20), "the leader's seat is paid");
        Assert.DoesNotContain(leaderOrder, await FulfilmentData.ListAsync(Store, "toShip"));
        var early = await FulfilmentData.ShipAsync(Store, leaderOrder, FulfilmentData.Express(sku, 1));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("team_not_won", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Store.PayAsync(friendOrder);
        await Eventually.TrueAsync(async () => await GroupBuyData.StatusAsync(Store, teamId) == "won", TimeSpan.FromSeconds(20), "the team is won");
        await Eventually.TrueAsync(async () => (await FulfilmentData.ListAsync(Store, "toShip")).Intersect([leaderOrder, friendOrder]).Count() == 2, TimeSpan.FromSeconds(20), "both orders are to ship");
        var shipped = await FulfilmentData.ShipAsync(Store, friendOrder, FulfilmentData.Express(sku, 1));
        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
    }

    [Fact]
    public async Task Join_FullTeamOrSecondSeatOrRetry_409sAndReplays()
    {
        var (groupBuyId, _) = await GroupBuyData.CreateAsync(Store, teamSize: 2, perMemberLimit: 3);
        var leader = await Store.LoginAsync(TestData.NewId("leader"));
        var (teamId, _) = await GroupBuyData.SeatOfAsync(await GroupBuyData.OpenAsync(Store, leader, groupBuyId));

        var second = await GroupBuyData.JoinAsync(Store, leader, teamId);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already_in_team", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var friend = await Store.LoginAsync(TestData.NewId("friend"));
        var joined = await GroupBuyData.JoinAsync(Store, friend, teamId, key: "join-1");
        var first = await GroupBuyData.SeatOfAsync(joined);
        var replay = await GroupBuyData.SeatOfAsync(await GroupBuyData.JoinAsync(Store, friend, teamId, key: "join-1"));
        Assert.Equal(first, replay);

        var late = await Store.LoginAsync(TestData.NewId("late"));
        var full = await GroupBuyData.JoinAsync(Store, late, teamId);
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Contains("team_full", await full.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await GroupBuyData.TeamAsync(Store, teamId)).GetProperty("seatsTaken").GetInt32());
    }

    [Fact]
    public async Task Open_OverPerMemberLimit_409AndNothingHeld()
    {
        var (groupBuyId, _) = await GroupBuyData.CreateAsync(Store, teamSize: 3, perMemberLimit: 1);
        var member = await Store.LoginAsync(TestData.NewId("m"));
        await GroupBuyData.SeatOfAsync(await GroupBuyData.OpenAsync(Store, member, groupBuyId));

        var again = await GroupBuyData.OpenAsync(Store, member, groupBuyId);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("group_buy_limit_reached", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_StorageRequests_EightAndARefusalOne()
    {
        var (groupBuyId, _) = await GroupBuyData.CreateAsync(Store, teamSize: 2);
        var (teamId, _) = await GroupBuyData.SeatOfAsync(await GroupBuyData.OpenAsync(Store, await Store.LoginAsync(TestData.NewId("leader")), groupBuyId));
        var friend = await Store.LoginAsync(TestData.NewId("friend"));
        var late = await Store.LoginAsync(TestData.NewId("late"));
        var counter = Store.Service<WeStore.Storage.StorageRequestCounter>();
        await Store.IdleAsync();

        var before = counter.Total;
        await GroupBuyData.SeatOfAsync(await GroupBuyData.JoinAsync(Store, friend, teamId));
        // The team read (the group-buy's definition is the instance's, cached); the member's count read and written; the
        // order path: the timeout message, the seat written on the team read first, a stock read and batch, the order row.
        Assert.Equal(8, counter.Total - before);

        before = counter.Total;
        Assert.Equal(HttpStatusCode.Conflict, (await GroupBuyData.JoinAsync(Store, late, teamId)).StatusCode);
        // A team already full as read: refused on the team's read, nothing written.
        Assert.Equal(1, counter.Total - before);
    }

    [Fact]
    public async Task Routes_UnknownIdsAndAnonymous_404Or401()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Store.Client.GetAsync("/api/teams/tm00000000000000000000")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Store.Client.GetAsync("/api/teams/..%2F..")).StatusCode);
        var member = await Store.LoginAsync(TestData.NewId("m"));
        Assert.Equal(HttpStatusCode.NotFound, (await GroupBuyData.JoinAsync(Store, member, "tm00000000000000000000")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GroupBuyData.OpenAsync(Store, member, "gb0000000000000000")).StatusCode);
        var anonymous = new HttpRequestMessage(HttpMethod.Post, "/api/teams/tm00000000000000000000/join") { Content = TestData.Json(JsonSerializer.Serialize(new { address = TestData.Address() })) };
        anonymous.Headers.Add("Idempotency-Key", "k1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Store.Client.SendAsync(anonymous)).StatusCode);
    }
}
