using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Application.Loyalty;
using WeStore.Domain.Common;
using WeStore.Domain.Loyalty;
using WeStore.Storage;
using WeStore.Storage.Loyalty;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Loyalty;

public sealed class PointsExpiryTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static DateOnly Today => BusinessCalendar.DayOf(DateTimeOffset.UtcNow);

    private static async Task RunTimerAsync(StoreFixture store)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/ExpirePointsFunction") { Content = TestData.Json("{}") };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);
        var response = await store.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<long> BalanceAsync(StoreFixture store, string openId) => (await store.Service<IPointsRepository>().GetAsync(openId, default)).Balance;

    private static async Task<int> LedgerCountAsync(StoreFixture store, string openId) => (await store.Service<IPointsRepository>().ReadLedgerAsync(openId, null, 100, default)).Entries.Count;

    [Fact]
    public async Task Timer_DueLotsExpired_NotDueKept_RerunOfTheDayChangesNothing()
    {
        var store = shared.Store;
        var members = Enumerable.Range(0, 3).Select(i => store.OpenIdOf(TestData.NewId("m" + i))).ToList();
        foreach (var m in members) await LoyaltyData.SeedLotAsync(store, m, "due", 10_000, Today.AddDays(-1));
        await LoyaltyData.SeedLotAsync(store, members[0], "later", 20_000, Today);
        await store.Service<IPointsExpiryIndex>().SetCursorAsync("expiry", Today.AddDays(-2), default);

        await RunTimerAsync(store);
        await Eventually.TrueAsync(() => members.All(m => BalanceAsync(store, m).Result == (m == members[0] ? 200 : 0)), TimeSpan.FromSeconds(20), "the queue expired the due lots");
        var entries = await LedgerCountAsync(store, members[1]);
        using var rerun = AttributionData.Manage(HttpMethod.Post, $"/api/manage/points/expiry?day={Today.AddDays(-1):yyyy-MM-dd}");
        var rerunResponse = await store.Client.SendAsync(rerun);
        var fanOut = await rerunResponse.Content.ReadFromJsonAsync<JsonElement>();
        await RunTimerAsync(store); // the cursor is past yesterday: nothing to do
        await store.IdleAsync(); // whatever the re-run and the second timer sent has been processed

        Assert.Equal(HttpStatusCode.OK, rerunResponse.StatusCode);
        Assert.True(fanOut.GetProperty("lots").GetInt32() >= 3);
        Assert.Equal(entries, await LedgerCountAsync(store, members[1]));
        Assert.Equal(200, await BalanceAsync(store, members[0]));
        var ledger = await LoyaltyData.PointsAsync(store, await store.LoginAsync(TestData.NewId("x"))); // another member sees nothing of theirs
        Assert.Equal(0, LoyaltyData.Balance(ledger));
        foreach (var m in members) await LoyaltyData.AssertLedgerMatchesBalanceAsync(store, m);
    }

    [Fact]
    public async Task Timer_MissedDays_CaughtUpInOneRun()
    {
        var store = shared.Store;
        var member = store.OpenIdOf(TestData.NewId("m"));
        await LoyaltyData.SeedLotAsync(store, member, "d3", 10_000, Today.AddDays(-3));
        await LoyaltyData.SeedLotAsync(store, member, "d1", 20_000, Today.AddDays(-1));
        await LoyaltyData.SeedLotAsync(store, member, "d0", 40_000, Today.AddDays(5));
        await store.Service<IPointsExpiryIndex>().SetCursorAsync("expiry", Today.AddDays(-4), default);

        await RunTimerAsync(store);

        await Eventually.TrueAsync(() => BalanceAsync(store, member).Result == 400, TimeSpan.FromSeconds(20), "both missed days were expired");
        Assert.Equal(Today.AddDays(-1), await store.Service<IPointsExpiryIndex>().GetCursorAsync("expiry", default));
        await LoyaltyData.AssertLedgerMatchesBalanceAsync(store, member);
    }

    [Fact]
    public async Task Expiry_ConsumerCrashesAfterFanOut_MessageRetried_NothingLost()
    {
        var crashes = new CrashOnce();
        await using var store = await StoreFixture.StartAsync(services: s => s.AddSingleton<IPointsRepository>(sp =>
            new CrashingPointsRepository(new PointsRepository(sp.GetRequiredService<StorageClients>()), crashes)));
        var member = store.OpenIdOf(TestData.NewId("m"));
        await LoyaltyData.SeedLotAsync(store, member, "due", 10_000, Today.AddDays(-1));
        await store.Service<IPointsExpiryIndex>().SetCursorAsync("expiry", Today.AddDays(-2), default);
        crashes.Arm();

        await RunTimerAsync(store);

        await Eventually.TrueAsync(() => BalanceAsync(store, member).Result == 0, TimeSpan.FromSeconds(30), "the retried message expired the lot");
        Assert.True(crashes.Crashed);
        Assert.Equal(1, (await store.Service<IPointsRepository>().ReadLedgerAsync(member, null, 100, default)).Entries.Count(e => e.Kind == LedgerKinds.Expire));
    }

    [Fact]
    public async Task Reminder_OncePerMemberAndDay_NotSubscribed43101IsNotAnError()
    {
        var store = shared.Store;
        var subscribed = store.OpenIdOf(TestData.NewId("s"));
        var unsubscribed = store.OpenIdOf(TestData.NewId("u"));
        var day = Today.AddDays(7);
        await LoyaltyData.SeedLotAsync(store, subscribed, "r", 12_300, day);
        await LoyaltyData.SeedLotAsync(store, unsubscribed, "r", 10_000, day);
        store.Sandbox.State.GrantSubscription(subscribed, "tmpl-points-expiring");
        store.Sandbox.State.GrantSubscription(subscribed, "tmpl-points-expiring"); // a second grant would allow a second send
        var index = store.Service<IPointsExpiryIndex>();
        await index.SetCursorAsync("expiry", Today.AddDays(-1), default);
        await index.SetCursorAsync("reminder", day.AddDays(-1), default);

        await RunTimerAsync(store);
        await Eventually.TrueAsync(() => store.Sandbox.State.SubscribeMessages.Count(m => m.OpenId == subscribed) == 1, TimeSpan.FromSeconds(20), "the reminder was sent");
        await store.RunQueueFunctionAsync("RemindPointsExpiryFunction",
            new PointsExpiryMessage(day.ToString("yyyy-MM-dd"), [new MemberLots(subscribed, ["x"]), new MemberLots(unsubscribed, ["x"])])); // a redelivery
        await RunTimerAsync(store);
        await store.IdleAsync(); // the redelivery and the second run have been processed

        var sent = Assert.Single(store.Sandbox.State.SubscribeMessages, m => m.OpenId == subscribed);
        Assert.Contains("\"123\"", sent.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(store.Sandbox.State.SubscribeMessages, m => m.OpenId == unsubscribed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?day=tomorrow")]
    [InlineData("?day=2026-02-30")]
    [InlineData("?day=2999-01-01")]
    [InlineData("?day=2026-01-01'%20or%20'1")]
    public async Task RunExpiry_BadDay_400(string query)
    {
        var store = shared.Store;
        var response = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/points/expiry" + query));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RunExpiry_NoKey_401_Today_400()
    {
        var store = shared.Store;
        Assert.Equal(HttpStatusCode.Unauthorized, (await store.Client.PostAsync($"/api/manage/points/expiry?day={Today.AddDays(-1):yyyy-MM-dd}", null)).StatusCode);
        var today = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, $"/api/manage/points/expiry?day={Today:yyyy-MM-dd}"));
        Assert.Equal(HttpStatusCode.BadRequest, today.StatusCode);
    }

    [Fact]
    public async Task Expire_OneLotAndFortyFiveLots_TwoRequestsPerBatchAndAFactsMessage_AllExpired()
    {
        var store = shared.Store;
        var day = Today.AddDays(-1);
        var one = store.OpenIdOf(TestData.NewId("one"));
        var many = store.OpenIdOf(TestData.NewId("many"));
        var oneKeys = new[] { await LoyaltyData.SeedLotAsync(store, one, "only", 10_000, day) };
        var manyKeys = new List<string>();
        for (var i = 0; i < 45; i++) manyKeys.Add(await LoyaltyData.SeedLotAsync(store, many, "lot" + i, 1_000, day));
        var expiry = store.Service<PointsExpiryService>();
        var counter = store.Service<StorageRequestCounter>();
        // The facts queue is created on its first use in the process: not a cost of the expiry.
        await store.Service<WeStore.Application.Segments.MemberFactsNotifier>().NotifyAsync(new(one, WeStore.Application.Segments.FactChanges.Points, DateTimeOffset.UtcNow), default);
        await store.IdleAsync();

        var before = counter.Total;
        await expiry.ExpireAsync(new PointsExpiryMessage($"{day:yyyy-MM-dd}", [new MemberLots(one, oneKeys)]), default);
        var forOne = counter.Total - before;
        before = counter.Total;
        await expiry.ExpireAsync(new PointsExpiryMessage($"{day:yyyy-MM-dd}", [new MemberLots(many, manyKeys)]), default);
        var forMany = counter.Total - before;

        Assert.Equal(3, forOne);   // a point read and one batch, then the member's facts message (points)
        Assert.Equal(5, forMany);  // 40 lots, then the other 5, then the message
        Assert.Equal(0, await BalanceAsync(store, one));
        Assert.Equal(0, await BalanceAsync(store, many));
        await LoyaltyData.AssertLedgerMatchesBalanceAsync(store, many);
    }

    [Fact]
    public async Task FanOut_StorageRequests_FollowLotsNotMembers()
    {
        var store = shared.Store;
        var day = new DateOnly(2031, 1, Random.Shared.Next(1, 28));
        var index = store.Service<IPointsExpiryIndex>();
        for (var i = 0; i < 120; i++) await index.AddAsync(day, "member" + i.ToString("000"), $"{day:yyyyMMdd}|o{i}", default);
        var counter = store.Service<StorageRequestCounter>();
        var messages = new CountingMessageSender(new DiscardingSender());
        var service = ActivatorUtilities.CreateInstance<PointsExpiryService>(store.Host.Services, (WeStore.Domain.Messaging.IMessageSender)messages);
        await store.IdleAsync();

        var before = counter.Total;
        var result = await service.FanOutAsync(day, LoyaltyQueues.Expiry, default);

        Assert.Equal((120, 120, 3), (result.Lots, result.Members, result.Messages));
        Assert.Equal(1, counter.Total - before); // one page of the index; the messages go to the queue sender
        Assert.Equal(3, messages.Sent(LoyaltyQueues.Expiry));
    }

    private sealed class DiscardingSender : WeStore.Domain.Messaging.IMessageSender
    {
        public Task SendAsync<T>(string queueName, T message, TimeSpan? delay = null, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    private sealed class CrashOnce
    {
        private int _armed;

        public bool Crashed { get; private set; }

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public void ThrowIfArmed()
        {
            if (Interlocked.Exchange(ref _armed, 0) != 1) return;
            Crashed = true;
            throw new Azure.RequestFailedException(503, "injected: the instance died after the fan-out");
        }
    }

    private sealed class CrashingPointsRepository(IPointsRepository inner, CrashOnce crash) : IPointsRepository
    {
        public Task<PointsAccount> GetAsync(string openId, CancellationToken cancellationToken) => inner.GetAsync(openId, cancellationToken);

        public Task<PointsSave> TrySaveAsync(PointsAccount account, PointsMarker? marker, CancellationToken cancellationToken)
        {
            if (marker is null) crash.ThrowIfArmed();
            return inner.TrySaveAsync(account, marker, cancellationToken);
        }

        public Task<PointsMarker?> GetMarkerAsync(string openId, string name, CancellationToken cancellationToken) => inner.GetMarkerAsync(openId, name, cancellationToken);

        public Task<LedgerPage> ReadLedgerAsync(string openId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
            => inner.ReadLedgerAsync(openId, continuationToken, pageSize, cancellationToken);

        public Task<bool> TryAddMarkerAsync(string openId, string marker, CancellationToken cancellationToken) => inner.TryAddMarkerAsync(openId, marker, cancellationToken);

        public Task RemoveMarkerAsync(string openId, string marker, CancellationToken cancellationToken) => inner.RemoveMarkerAsync(openId, marker, cancellationToken);
    }
}
