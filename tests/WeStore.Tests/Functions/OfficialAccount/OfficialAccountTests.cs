using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WeStore.Domain.Attribution;
using WeStore.Domain.OfficialAccount;
using WeStore.Tests.Support;
using WeStore.WeChat.Push;

namespace WeStore.Tests.Functions.OfficialAccount;

/// <summary>Follow codes, the Official Account push, followers joined to members, and the shipped notice as a template message.</summary>
public sealed class OfficialAccountTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static async Task<MemberAttribution?> AttributionAsync(StoreFixture store, string stem)
        => await store.Service<IMemberAttributionRepository>().GetAsync(store.OpenIdOf(stem), default);

    [Fact]
    public async Task Journey_FollowLoginBuyShip_TemplateNoticeAndReportShowsTheCode()
    {
        var store = shared.Store;
        var campaign = await WeComData.CampaignAsync(store, amountOff: 300);
        var code = await OfficialAccountData.CreateCodeAsync(store, OfficialAccountData.Code("live", campaign));
        var scene = code.GetProperty("sceneStr").GetString()!;
        var stem = TestData.NewId("oa");
        Assert.StartsWith(store.Sandbox.Url, code.GetProperty("imageUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal("image/png", (await store.Client.GetAsync(code.GetProperty("imageUrl").GetString())).Content.Headers.ContentType?.MediaType);

        var follow = await OfficialAccountData.ScanAsync(store, scene, stem);
        await store.IdleAsync();
        Assert.Equal("success", follow.GetProperty("pushBody").GetString());
        var follower = await store.Service<IFollowerStore>().GetAsync(follow.GetProperty("openid").GetString()!, default);
        Assert.Equal((FollowStatus.Following, scene, "ADD_SCENE_QR_CODE"), (follower!.Status, follower.FirstScene, follower.SubscribeScene));

        var token = await store.LoginAsync(stem);
        await store.IdleAsync();
        var coupon = (await CouponData.WalletAsync(store, token)).GetProperty("available").EnumerateArray().Single(c => c.GetProperty("campaignId").GetString() == campaign).GetProperty("couponId").GetString()!;
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 2000, 10, 1));
        var placed = await store.PlaceAsync(token, "k-" + Guid.NewGuid().ToString("N")[..8], CouponData.OrderWithCoupon(coupon, (sku, 1)));
        var orderNo = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        await store.PayAsync(orderNo);
        await store.IdleAsync();
        var shipped = await FulfilmentData.ShipAsync(store, orderNo, FulfilmentData.Express(sku, 1));
        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        await store.IdleAsync();

        var notice = Assert.Single(store.Sandbox.OfficialAccount.Messages, m => m.ToUser == follower.OpenId);
        Assert.Equal("tmpl-oa-shipped", notice.TemplateId);
        Assert.Equal(store.Sandbox.Options.AppId, notice.AppId);
        Assert.Contains(orderNo, notice.PagePath, StringComparison.Ordinal);
        Assert.DoesNotContain(store.Sandbox.State.SubscribeMessages, m => m.OpenId == store.OpenIdOf(stem)); // never both
        var row = (await OfficialAccountData.CodeRowAsync(store, scene))!.Value;
        Assert.Equal((1L, 1L, 1L, 1L, 1700L), (row.GetProperty("follows").GetInt64(), row.GetProperty("newMembers").GetInt64(), row.GetProperty("orders").GetInt64(),
            row.GetProperty("paidOrders").GetInt64(), row.GetProperty("paidGmv").GetInt64()));
        Assert.Equal("live", row.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Follow_ThenFirstLoginAndAnOrderAtOnce_OrderCreditedToTheCode()
    {
        var store = shared.Store;
        var scene = (await OfficialAccountData.CreateCodeAsync(store, OfficialAccountData.Code("share"))).GetProperty("sceneStr").GetString()!;
        var stem = TestData.NewId("oafast");
        await OfficialAccountData.ScanAsync(store, scene, stem);
        await store.IdleAsync();
        var sku = TestData.NewId("sku");
        await store.ImportSkusAsync(TestData.NewId("p"), (sku, 1200, 10, 1));

        // No wait between the first login and the order: the login links the follower before it answers.
        var token = await store.LoginAsync(stem);
        var placed = await store.PlaceAsync(token, "k-" + Guid.NewGuid().ToString("N")[..8], TestData.Order((sku, 1)));
        await store.PayAsync((await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!);
        await store.IdleAsync();

        var row = (await OfficialAccountData.CodeRowAsync(store, scene))!.Value;
        Assert.Equal((1L, 1L, 1200L), (row.GetProperty("newMembers").GetInt64(), row.GetProperty("paidOrders").GetInt64(), row.GetProperty("paidGmv").GetInt64()));
    }

    [Fact]
    public async Task Follow_DuplicatePushes_OneFollowerOneTouchOneCount()
    {
        var store = shared.Store;
        var scene = (await OfficialAccountData.CreateCodeAsync(store, OfficialAccountData.Code("shelf"))).GetProperty("sceneStr").GetString()!;
        var stem = TestData.NewId("oadup");
        await store.LoginAsync(stem);
        await store.IdleAsync();

        var follow = await OfficialAccountData.ScanAsync(store, scene, stem, copies: 10);
        await store.IdleAsync();

        var follower = await store.Service<IFollowerStore>().GetAsync(follow.GetProperty("openid").GetString()!, default);
        Assert.Equal(1, follower!.Follows);
        Assert.Equal(1, (await AttributionAsync(store, stem))!.Journey.Count(j => j.Touch.Kind == TouchKind.Follow));
        Assert.Equal(1, (await OfficialAccountData.CodeRowAsync(store, scene))!.Value.GetProperty("follows").GetInt64());
    }

    [Fact]
    public async Task FollowUnfollowRefollow_CountsRight_FirstTouchStays()
    {
        var store = shared.Store;
        var first = (await OfficialAccountData.CreateCodeAsync(store, OfficialAccountData.Code("event"))).GetProperty("sceneStr").GetString()!;
        var second = (await OfficialAccountData.CreateCodeAsync(store, OfficialAccountData.Code("ad"))).GetProperty("sceneStr").GetString()!;
        var stem = TestData.NewId("oaback");
        await store.LoginAsync(stem);
        await store.IdleAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var follow = await OfficialAccountData.ScanAsync(store, first, stem, createTime: now - 20);
        await store.IdleAsync();
        var openId = follow.GetProperty("openid").GetString()!;
        await OfficialAccountData.UnfollowAsync(store, openId, now - 10);
        await store.IdleAsync();
        await OfficialAccountData.ScanAsync(store, second, stem, createTime: now);
        await store.IdleAsync();

        var firstRow = (await OfficialAccountData.CodeRowAsync(store, first))!.Value;
        var secondRow = (await OfficialAccountData.CodeRowAsync(store, second))!.Value;
        Assert.Equal((1L, 1L), (firstRow.GetProperty("follows").GetInt64(), firstRow.GetProperty("unfollows").GetInt64()));
        Assert.Equal((1L, 0L), (secondRow.GetProperty("follows").GetInt64(), secondRow.GetProperty("unfollows").GetInt64()));
        var follower = await store.Service<IFollowerStore>().GetAsync(openId, default);
        Assert.Equal((FollowStatus.Following, 2, first, second), (follower!.Status, follower.Follows, follower.FirstScene, follower.LastScene));
        var attribution = (await AttributionAsync(store, stem))!;
        Assert.Equal(first, attribution.Acquisition!.SceneId);
        Assert.Equal(1, attribution.Journey.Count(j => j.Touch.Kind == TouchKind.Follow));
    }

    [Fact]
    public async Task Follow_SameCodeScannedWhileFollowing_CountedAsScanNotFollow()
    {
        var store = shared.Store;
        var scene = (await OfficialAccountData.CreateCodeAsync(store, OfficialAccountData.Code("kol"))).GetProperty("sceneStr").GetString()!;
        var stem = TestData.NewId("oascan");

        await OfficialAccountData.ScanAsync(store, scene, stem);
        var again = await OfficialAccountData.ScanAsync(store, scene, stem);
        await store.IdleAsync();

        Assert.Equal("SCAN", again.GetProperty("event").GetString());
        var row = (await OfficialAccountData.CodeRowAsync(store, scene))!.Value;
        Assert.Equal((1L, 1L), (row.GetProperty("follows").GetInt64(), row.GetProperty("scans").GetInt64()));
    }

    [Theory]
    [InlineData(59)]
    [InlineData(2_592_001)]
    public async Task CreateCode_ExpireSecondsOutOfRange_400(int seconds)
    {
        var response = await OfficialAccountData.PostCodeAsync(shared.Store, OfficialAccountData.Code(expireSeconds: seconds));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CreateCode_PermanentWithExpiry_400_TemporaryDefaultsTo30Days()
    {
        var store = shared.Store;
        Assert.Equal(HttpStatusCode.BadRequest, (await OfficialAccountData.PostCodeAsync(store, OfficialAccountData.Code(permanent: true, expireSeconds: 600))).StatusCode);
        var code = await OfficialAccountData.CreateCodeAsync(store, OfficialAccountData.Code());
        var expires = code.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));
        Assert.Single(store.Sandbox.OfficialAccount.Codes.Values, c => c.SceneStr == code.GetProperty("sceneStr").GetString() && !c.Permanent);
    }

    [Fact]
    public async Task CreateCode_PermanentPastTheLimit_409NothingAtWeChat()
    {
        await using var store = await StoreFixture.StartAsync(new() { ["OfficialAccount:MaxPermanentCodes"] = "2" });
        var made = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => OfficialAccountData.PostCodeAsync(store, OfficialAccountData.Code(permanent: true))));

        Assert.Equal(2, made.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(3, made.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(2, store.Sandbox.OfficialAccount.Codes.Values.Count(c => c.Permanent));
        var created = await made.First(r => r.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, created.GetProperty("expiresAt").ValueKind);
    }

    [Fact]
    public async Task UrlCheck_SignedByToken_EchoBack_Forged_401()
    {
        var store = shared.Store;
        var crypt = OfficialAccountData.Crypt(store);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var good = await store.Client.GetAsync($"/api/wechat/official-account/push?signature={crypt.Sign(ts, "5")}&timestamp={ts}&nonce=5&echostr=4375120948345356249");
        var forged = await store.Client.GetAsync($"/api/wechat/official-account/push?signature={new string('0', 40)}&timestamp={ts}&nonce=5&echostr=1");

        Assert.Equal("4375120948345356249", await good.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task Push_Forgeries_4xxNothingWritten()
    {
        var store = shared.Store;
        var o = store.Sandbox.Options;
        var message = OfficialAccountData.SubscribeEvent("oforged" + Guid.NewGuid().ToString("N")[..12], "fcnone", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var otherApp = new WxBizMsgCrypt(o.OfficialAccountToken, o.OfficialAccountAesKey, "wx0000000000000000");
        var otherKey = new WxBizMsgCrypt(o.OfficialAccountToken, Convert.ToBase64String(new byte[32]).TrimEnd('='), o.OfficialAccountAppId);
        var otherToken = new WxBizMsgCrypt("not-the-token", o.OfficialAccountAesKey, o.OfficialAccountAppId);
        var dtd = "<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><FromUserName>&e;</FromUserName><MsgType>event</MsgType><Event>subscribe</Event></xml>";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var cases = new (string Name, HttpRequestMessage Request)[]
        {
            ("bad signature", OfficialAccountData.Push(store, message, msgSignature: new string('a', 40))),
            ("signed with another token", OfficialAccountData.Push(store, message, otherToken)),
            ("for another account", OfficialAccountData.Push(store, message, otherApp)),
            ("another key", OfficialAccountData.Push(store, message, otherKey)),
            ("tampered ciphertext", OfficialAccountData.Push(store, message, tamper: e => (e[0] == 'A' ? 'B' : 'A') + e[1..])),
            ("a DTD with an entity", OfficialAccountData.Push(store, dtd)),
            ("oversized", Raw($"?timestamp={now}&nonce=1&encrypt_type=aes&msg_signature=x", "<xml><Encrypt>" + new string('A', 70_000) + "</Encrypt></xml>")),
            ("plaintext", Raw($"?signature={OfficialAccountData.Crypt(store).Sign(now.ToString(System.Globalization.CultureInfo.InvariantCulture), "1")}&timestamp={now}&nonce=1", message)),
        };
        await Forgeries.AssertRefusedNothingWrittenAsync(store, cases);
    }

    private static HttpRequestMessage Raw(string query, string body)
        => new(HttpMethod.Post, "/api/wechat/official-account/push" + query) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
}
