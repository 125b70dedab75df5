using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WeStore.Domain.Attribution;
using WeStore.Domain.WeCom;
using WeStore.Storage;
using WeStore.Tests.Support;
using WeStore.WeChat.Push;

namespace WeStore.Tests.Functions.WeCom;

/// <summary>WeCom contact-me codes, the callback, welcomes, coupons and the join to members, against the sandbox's qyapi.</summary>
public sealed class WeComContactTests(SharedStore shared) : IClassFixture<SharedStore>
{

    private static async Task<int> WeComAddTouchesAsync(StoreFixture store, string openId)
        => (await store.Service<IMemberAttributionRepository>().GetAsync(openId, default))?.Journey.Count(j => j.Touch.Kind == TouchKind.WeComAdd) ?? 0;

    [Fact]
    public async Task Journey_AddWelcomeLoginBuyWithCoupon_ReportShowsAddMemberOrderGmv()
    {
        var store = shared.Store;
        var campaign = await WeComData.CampaignAsync(store, amountOff: 500);
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("packaging", campaign));
        var stem = TestData.NewId("wc");

        var add = await WeComData.AddAsync(store, state, stem);
        await store.IdleAsync();
        var externalUserId = add.GetProperty("externalUserId").GetString()!;
        var welcome = Assert.Single(await WeComData.WelcomesAsync(store, externalUserId));
        Assert.Equal(200, add.GetProperty("pushStatus").GetInt32());
        Assert.Equal(string.Empty, add.GetProperty("pushBody").GetString());
        Assert.Equal("进店逛逛", welcome.GetProperty("miniProgramTitle").GetString());
        Assert.Equal("pages/index/index", welcome.GetProperty("miniProgramPage").GetString());
        Assert.False(string.IsNullOrEmpty(welcome.GetProperty("picMediaId").GetString()));
        Assert.True(welcome.GetProperty("secondsAfterAdd").GetDouble() < 20);
        Assert.Equal(1, store.Sandbox.State.Count("wecom/media/upload")); // the card's picture is uploaded once and reused
        var tags = (await WeComData.ContactAsync(store, externalUserId)).GetProperty("tags").GetProperty("staff.li");
        Assert.Equal(["packaging"], tags.EnumerateArray().Select(t => t.GetString()));

        var token = await store.LoginAsync(stem);
        await store.IdleAsync();
        var wallet = await CouponData.WalletAsync(store, token);
        var coupon = wallet.GetProperty("available").EnumerateArray().Single(c => c.GetProperty("campaignId").GetString() == campaign).GetProperty("couponId").GetString()!;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 3000, 10, 1));
        var placed = await store.PlaceAsync(token, "k-" + Guid.NewGuid().ToString("N")[..8], CouponData.OrderWithCoupon(coupon, (sku, 1)));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var orderNo = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        await store.PayAsync(orderNo);
        await store.IdleAsync();

        var row = await WeComData.WayRowAsync(store, state);
        Assert.NotNull(row);
        Assert.Equal(1, row.Value.GetProperty("wecomAdds").GetInt64());
        Assert.Equal(1, row.Value.GetProperty("newMembers").GetInt64());
        Assert.Equal(1, row.Value.GetProperty("orders").GetInt64());
        Assert.Equal(1, row.Value.GetProperty("paidOrders").GetInt64());
        Assert.Equal(2500, row.Value.GetProperty("paidGmv").GetInt64());
        Assert.Equal("packaging", row.Value.GetProperty("channel").GetString());
        var staffRow = (await AttributionData.ReportAsync(store, "groupBy=staff")).GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "staff.li");
        Assert.True(staffRow.GetProperty("wecomAdds").GetInt64() >= 1);
    }

    [Fact]
    public async Task Add_20DuplicateCallbacks_OneWelcomeOneCouponOneTouchOneCount()
    {
        var store = shared.Store;
        var campaign = await WeComData.CampaignAsync(store);
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("shelf", campaign));
        var stem = TestData.NewId("dup");
        var token = await store.LoginAsync(stem);
        await store.IdleAsync();
        var sends = store.Sandbox.State.Count("wecom/externalcontact/send_welcome_msg");

        var add = await WeComData.AddAsync(store, state, stem, copies: 20);
        await store.IdleAsync();

        Assert.All(add.GetProperty("pushStatuses").EnumerateArray(), s => Assert.Equal(200, s.GetInt32()));
        Assert.Equal(1, store.Sandbox.State.Count("wecom/externalcontact/send_welcome_msg") - sends); // claimed once: never a second try
        Assert.Single(await WeComData.WelcomesAsync(store, add.GetProperty("externalUserId").GetString()!));
        Assert.Equal(1, CouponData.CountOf(await CouponData.WalletAsync(store, token), campaign));
        Assert.Equal(1, await WeComAddTouchesAsync(store, store.OpenIdOf(stem)));
        Assert.Equal(1, (await WeComData.WayRowAsync(store, state))!.Value.GetProperty("wecomAdds").GetInt64());
    }

    [Fact]
    public async Task Add_WelcomeCodeExpired_RecordedMissedNoCall()
    {
        var store = shared.Store;
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("kol"));
        var calls = store.Sandbox.State.Count("wecom/externalcontact/send_welcome_msg");

        var add = await WeComData.AddAsync(store, state, TestData.NewId("late"), ageSeconds: 30);
        await store.IdleAsync();

        var externalUserId = add.GetProperty("externalUserId").GetString()!;
        Assert.Empty(await WeComData.WelcomesAsync(store, externalUserId));
        Assert.Equal(calls, store.Sandbox.State.Count("wecom/externalcontact/send_welcome_msg"));
        var record = await store.Service<IWeComContactStore>().GetAddAsync(externalUserId, $"staff.li|{add.GetProperty("createTime").GetInt64()}", default);
        Assert.Equal(WelcomeStatus.Missed, record!.Welcome);
        Assert.True(record.Completed);
        Assert.Equal(1, (await WeComData.WayRowAsync(store, state))!.Value.GetProperty("wecomAdds").GetInt64());
    }

    [Fact]
    public async Task Add_41096Twice_RetriedAndSent()
    {
        var store = shared.Store;
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("live", card: false));
        store.Sandbox.WeCom.Faults.GetOrAdd("send_welcome_msg", _ => new()).Enqueue(41096);
        store.Sandbox.WeCom.Faults["send_welcome_msg"].Enqueue(41096);

        var add = await WeComData.AddAsync(store, state, TestData.NewId("busy"));
        await store.IdleAsync();

        var externalUserId = add.GetProperty("externalUserId").GetString()!;
        Assert.Single(await WeComData.WelcomesAsync(store, externalUserId));
        var record = await store.Service<IWeComContactStore>().GetAddAsync(externalUserId, $"staff.li|{add.GetProperty("createTime").GetInt64()}", default);
        Assert.Equal(WelcomeStatus.Sent, record!.Welcome);
        Assert.Equal(3, record.WelcomeAttempts);
    }

    [Fact]
    public async Task Add_BeforeMember_LinkedOnceAtFirstLogin()
    {
        var store = shared.Store;
        var campaign = await WeComData.CampaignAsync(store);
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("event", campaign));
        var stem = TestData.NewId("later");

        await WeComData.AddAsync(store, state, stem);
        await store.IdleAsync();
        var before = await WeComData.WayRowAsync(store, state);
        var token = await store.LoginAsync(stem);
        await store.IdleAsync();
        await store.LoginAsync(stem);
        await store.IdleAsync();

        Assert.Equal(0, before!.Value.GetProperty("newMembers").GetInt64());
        Assert.Equal(1, CouponData.CountOf(await CouponData.WalletAsync(store, token), campaign));
        Assert.Equal(1, await WeComAddTouchesAsync(store, store.OpenIdOf(stem)));
        var row = (await WeComData.WayRowAsync(store, state))!.Value;
        Assert.Equal(1, row.GetProperty("newMembers").GetInt64());
        Assert.Equal(1, row.GetProperty("wecomAdds").GetInt64());
    }

    [Fact]
    public async Task Invariants_CouponIssuedOnAdd_InWalletOrWaiting_AndALostOneIsAViolation()
    {
        var store = shared.Store;
        var campaign = await WeComData.CampaignAsync(store);
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("share", campaign));
        var waiting = TestData.NewId("wait");
        var member = TestData.NewId("mem");
        await WeComData.AddAsync(store, state, waiting);
        await WeComData.AddAsync(store, state, member);
        var token = await store.LoginAsync(member);
        await store.IdleAsync();

        Assert.Empty(await Invariants.CheckAsync(store, [], [], [campaign]));

        var coupon = (await CouponData.WalletAsync(store, token)).GetProperty("available").EnumerateArray()
            .Single(c => c.GetProperty("campaignId").GetString() == campaign).GetProperty("couponId").GetString()!;
        var members = await store.TableAsync(TableNames.Members);
        await foreach (var row in members.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {store.OpenIdOf(member)}")))
        {
            if (row.RowKey.Contains(coupon, StringComparison.Ordinal)) await members.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        Assert.Contains(await Invariants.CheckAsync(store, [], [], [campaign]), v => v.Contains(coupon, StringComparison.Ordinal) && v.Contains("wallet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Add_RacingTheFirstLogin_EachLinkedOnce()
    {
        var store = shared.Store;
        var campaign = await WeComData.CampaignAsync(store);
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("packaging", campaign));
        var stems = Enumerable.Range(0, 12).Select(_ => TestData.NewId("race")).ToList();

        // Each shopper's add and first login at the same moment: either path may find the other first, or both may.
        var tokens = await Task.WhenAll(stems.Select(async stem =>
        {
            var login = store.LoginAsync(stem);
            await WeComData.AddAsync(store, state, stem);
            return await login;
        }));
        await store.IdleAsync();

        for (var i = 0; i < stems.Count; i++)
        {
            Assert.Equal(1, CouponData.CountOf(await CouponData.WalletAsync(store, tokens[i]), campaign));
            Assert.Equal(1, await WeComAddTouchesAsync(store, store.OpenIdOf(stems[i])));
        }

        var row = (await WeComData.WayRowAsync(store, state))!.Value;
        Assert.Equal((12L, 12L), (row.GetProperty("wecomAdds").GetInt64(), row.GetProperty("newMembers").GetInt64()));
    }

    [Fact]
    public async Task Delete_ByCustomer_RelationLostCountedOnce()
    {
        var store = shared.Store;
        var state = await WeComData.CreateWayAsync(store, WeComData.Way("ad", card: false));
        var add = await WeComData.AddAsync(store, state, TestData.NewId("gone"));
        await store.IdleAsync();
        var externalUserId = add.GetProperty("externalUserId").GetString()!;
        var lost = $"<xml><ToUserName>{store.Sandbox.Options.WeComCorpId}</ToUserName><FromUserName>sys</FromUserName><CreateTime>{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime>"
            + $"<MsgType>event</MsgType><Event>change_external_contact</Event><ChangeType>del_follow_user</ChangeType><UserID>staff.li</UserID><ExternalUserID>{externalUserId}</ExternalUserID></xml>";

        foreach (var _ in Enumerable.Range(0, 3)) Assert.Equal(HttpStatusCode.OK, (await store.Client.SendAsync(WeComData.Callback(store, lost))).StatusCode);
        await store.IdleAsync();

        var relation = await store.Service<IWeComContactStore>().GetRelationAsync(externalUserId, "staff.li", default);
        Assert.Equal(RelationStatus.Lost, relation!.Status);
        Assert.Equal(1, (await WeComData.WayRowAsync(store, state))!.Value.GetProperty("wecomLost").GetInt64());
    }

    [Fact]
    public async Task UrlCheck_EncryptedEchostr_DecryptedBack_Forged_401()
    {
        var store = shared.Store;
        var crypt = WeComData.Crypt(store);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var echo = crypt.Encrypt("1616140317555161061");

        var good = await store.Client.GetAsync($"/api/wecom/callback?msg_signature={crypt.Sign(ts, "9", echo)}&timestamp={ts}&nonce=9&echostr={Uri.EscapeDataString(echo)}");
        var forged = await store.Client.GetAsync($"/api/wecom/callback?msg_signature={new string('0', 40)}&timestamp={ts}&nonce=9&echostr={Uri.EscapeDataString(echo)}");
        var otherCorp = new WxBizMsgCrypt(store.Sandbox.Options.WeComCallbackToken, store.Sandbox.Options.WeComCallbackAesKey, "ww0000000000000000");
        var foreign = otherCorp.Encrypt("1");
        var wrongCorp = await store.Client.GetAsync($"/api/wecom/callback?msg_signature={otherCorp.Sign(ts, "9", foreign)}&timestamp={ts}&nonce=9&echostr={Uri.EscapeDataString(foreign)}");

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal("1616140317555161061", await good.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongCorp.StatusCode);
    }

    [Fact]
    public async Task Callback_Forgeries_4xxNothingWritten()
    {
        var store = shared.Store;
        var o = store.Sandbox.Options;
        var message = WeComData.AddEvent(o.WeComCorpId, "wmforged" + Guid.NewGuid().ToString("N")[..10], "staff.li", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "cwnone", "wcforged");
        var otherCorp = new WxBizMsgCrypt(o.WeComCallbackToken, o.WeComCallbackAesKey, "ww0000000000000000");
        var otherKey = new WxBizMsgCrypt(o.WeComCallbackToken, Convert.ToBase64String(new byte[32]).TrimEnd('='), o.WeComCorpId);
        var otherToken = new WxBizMsgCrypt("not-the-token", o.WeComCallbackAesKey, o.WeComCorpId);
        var dtd = "<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><ToUserName>&e;</ToUserName><MsgType>event</MsgType><Event>change_external_contact</Event></xml>";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var cases = new (string Name, HttpRequestMessage Request)[]
        {
            ("bad signature", WeComData.Callback(store, message, msgSignature: new string('a', 40))),
            ("signed with another token", WeComData.Callback(store, message, otherToken)),
            ("for another corp", WeComData.Callback(store, message, otherCorp)),
            ("another key", WeComData.Callback(store, message, otherKey)),
            ("tampered ciphertext", WeComData.Callback(store, message, tamper: e => (e[0] == 'A' ? 'B' : 'A') + e[1..])),
            ("a DTD with an entity", WeComData.Callback(store, dtd)),
            ("oversized", Raw($"?msg_signature=x&timestamp={now}&nonce=1", "<xml><Encrypt>" + new string('A', 70_000) + "</Encrypt></xml>")),
            ("plaintext", Raw($"?timestamp={now}&nonce=1", message)),
            ("no envelope", Raw($"?msg_signature={new string('0', 40)}&timestamp={now}&nonce=1", "<xml><Encrypt>")),
            ("a replay from an hour ago", Raw($"?msg_signature={new string('0', 40)}&timestamp={now - 3600}&nonce=1", "<xml><Encrypt>x</Encrypt></xml>")),
        };
        await Forgeries.AssertRefusedNothingWrittenAsync(store, cases);
    }

    [Fact]
    public async Task ContactWay_CreateRepeatListDelete_AtWeComFirst()
    {
        var store = shared.Store;
        var key = "way-" + Guid.NewGuid().ToString("N")[..8];
        var first = await WeComData.PostWayAsync(store, WeComData.Way("staff"), key);
        var repeat = await WeComData.PostWayAsync(store, WeComData.Way("staff"), key);
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        var state = created.GetProperty("state").GetString()!;
        var configId = created.GetProperty("configId").GetString()!;

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(state, (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.True(state.Length <= ContactWayRules.MaxStateLength);
        Assert.True(store.Sandbox.WeCom.Ways.ContainsKey(configId));
        Assert.Single(store.Sandbox.WeCom.Ways.Values, w => w.State == state);
        // WeCom answers a link to the code's picture; the sandbox serves a real one, so the console shows it offline.
        var picture = await store.Sandbox.Client().GetAsync(created.GetProperty("qrCode").GetString());
        Assert.Equal("image/png", picture.Content.Headers.ContentType?.MediaType);

        var list = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, "/api/manage/contact-ways"));
        Assert.Contains((await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactWays").EnumerateArray(), w => w.GetProperty("state").GetString() == state);

        var deleted = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Delete, $"/api/manage/contact-ways/{state}"));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("deleted", (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.False(store.Sandbox.WeCom.Ways.ContainsKey(configId));
        Assert.Equal(HttpStatusCode.NotFound, (await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Delete, "/api/manage/contact-ways/cwnosuchway"))).StatusCode);
    }

    [Fact]
    public async Task ContactWay_AnswerLostAndRetried_RepeatFindsItByState_OneWayLeftAtWeCom()
    {
        var store = shared.Store;
        var key = "lost-" + Guid.NewGuid().ToString("N")[..8];
        // Both attempts (the first and the transport's retry) make a way whose answer is lost.
        store.Sandbox.WeCom.Faults.GetOrAdd("add_contact_way_lost", _ => new()).Enqueue(502);
        store.Sandbox.WeCom.Faults["add_contact_way_lost"].Enqueue(502);

        var lost = await WeComData.PostWayAsync(store, WeComData.Way("shelf"), key);
        var repeat = await WeComData.PostWayAsync(store, WeComData.Way("shelf"), key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        var way = await repeat.Content.ReadFromJsonAsync<JsonElement>();
        var state = way.GetProperty("state").GetString()!;
        var atWeCom = Assert.Single(store.Sandbox.WeCom.Ways.Values, w => w.State == state);
        Assert.Equal(atWeCom.ConfigId, way.GetProperty("configId").GetString());
        Assert.Equal("active", way.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ContactWay_WeComTokenReplaced_RefreshedOnceAndCreated()
    {
        var store = shared.Store;
        await WeComData.CreateWayAsync(store, WeComData.Way("other", card: false));
        var tokens = store.Sandbox.State.Count("wecom/gettoken");
        store.Sandbox.WeCom.InvalidateToken();

        await WeComData.CreateWayAsync(store, WeComData.Way("other", card: false));

        Assert.Equal(tokens + 1, store.Sandbox.State.Count("wecom/gettoken"));
    }

    [Fact]
    public async Task ContactWay_BadInput_400NothingAtWeCom()
    {
        var store = shared.Store;
        var before = store.Sandbox.WeCom.Ways.Count;
        var bodies = new[]
        {
            "{",
            "[]",
            JsonSerializer.Serialize(new { name = "x", channel = "tv", staffUserIds = new[] { "a" }, welcome = new { text = "hi" } }),
            JsonSerializer.Serialize(new { name = "x", channel = "shelf", staffUserIds = Array.Empty<string>(), welcome = new { text = "hi" } }),
            JsonSerializer.Serialize(new { name = "x", channel = "shelf", staffUserIds = new[] { "a" } }),
            JsonSerializer.Serialize(new { name = "x", channel = "shelf", staffUserIds = new[] { "a" }, welcome = new { text = new string('x', 5000) } }),
            JsonSerializer.Serialize(new { name = "x", channel = "shelf", staffUserIds = new[] { "a" }, welcome = new { text = "hi" }, couponCampaignId = "no-such-campaign" }),
        };

        foreach (var body in bodies)
        {
            var response = await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/contact-ways", new StringContent(body, Encoding.UTF8, "application/json")));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body[..Math.Min(60, body.Length)]}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, store.Sandbox.WeCom.Ways.Count);
    }

    private static HttpRequestMessage Raw(string query, string body)
        => new(HttpMethod.Post, "/api/wecom/callback" + query) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
}
