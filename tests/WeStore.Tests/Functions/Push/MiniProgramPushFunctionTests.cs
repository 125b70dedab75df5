using System.Net;
using System.Text;
using WeStore.Domain.Notifications;
using WeStore.Tests.Support;
using WeStore.WeChat.Push;

namespace WeStore.Tests.Functions.Push;

/// <summary>The Mini Program message push: the URL check, safe-mode events in JSON and XML, duplicates, and forgeries.</summary>
public sealed class MiniProgramPushFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task UrlCheck_SignedByToken_EchoBack_Forged_401()
    {
        var store = shared.Store;
        var crypt = FulfilmentData.PushCrypt(store);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var good = await store.Client.GetAsync($"/api/wechat/push?signature={crypt.Sign(ts, "123")}&timestamp={ts}&nonce=123&echostr=4375120948345356249");
        var forged = await store.Client.GetAsync($"/api/wechat/push?signature={new string('0', 40)}&timestamp={ts}&nonce=123&echostr=4375120948345356249");
        var missing = await store.Client.GetAsync("/api/wechat/push?echostr=1");

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal("4375120948345356249", await good.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Push_SubscriptionGrant_JsonOrXml_SuccessAndGrantRecorded(bool xml)
    {
        var store = shared.Store;
        var openId = "o" + Guid.NewGuid().ToString("N")[..27];
        var message = xml
            ? $"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName><CreateTime>1714112445</CreateTime><MsgType><![CDATA[event]]></MsgType>"
              + "<Event><![CDATA[subscribe_msg_popup_event]]></Event><SubscribeMsgPopupEvent><List><TemplateId><![CDATA[tmpl-order-shipped]]></TemplateId>"
              + "<SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent></xml>"
            : FulfilmentData.PopupEvent(openId, "tmpl-order-shipped", "accept", 1714112445);

        var response = await store.Client.SendAsync(FulfilmentData.SignedPush(store, message, xml: xml));
        await store.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, await store.Service<ISubscriptionGrants>().CountAsync(openId, "tmpl-order-shipped", default));
    }

    [Fact]
    public async Task Push_20ConcurrentCopies_OneEffect()
    {
        var store = shared.Store;
        var openId = "o" + Guid.NewGuid().ToString("N")[..27];
        var message = FulfilmentData.PopupEvent(openId, "tmpl-order-shipped", "accept", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        // The same push, as WeChat retries it: the same ciphertext, signature, timestamp and nonce.
        var template = FulfilmentData.SignedPush(store, message);
        var url = template.RequestUri!;
        var body = await template.Content!.ReadAsStringAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            store.Client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"))));
        await store.IdleAsync();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await store.Service<ISubscriptionGrants>().CountAsync(openId, "tmpl-order-shipped", default));
    }

    [Fact]
    public async Task Push_Forgeries_4xxNothingWritten()
    {
        var store = shared.Store;
        var openId = "o" + Guid.NewGuid().ToString("N")[..27];
        var message = FulfilmentData.PopupEvent(openId, "tmpl-order-shipped", "accept", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var crypt = FulfilmentData.PushCrypt(store);
        var otherApp = new WxBizMsgCrypt(store.Sandbox.Options.PushToken, store.Sandbox.Options.PushEncodingAesKey, "wx0000000000000000");
        var otherKey = new WxBizMsgCrypt(store.Sandbox.Options.PushToken, Convert.ToBase64String(new byte[32]).TrimEnd('='), store.Sandbox.Options.AppId);
        var otherToken = new WxBizMsgCrypt("not-the-token", store.Sandbox.Options.PushEncodingAesKey, store.Sandbox.Options.AppId);
        var dtd = "<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><FromUserName>&e;</FromUserName><MsgType>event</MsgType><Event>subscribe_msg_popup_event</Event></xml>";
        var cases = new (string Name, HttpRequestMessage Request)[]
        {
            ("bad signature", FulfilmentData.SignedPush(store, message, msgSignature: new string('a', 40))),
            ("signed with another token", FulfilmentData.SignedPush(store, message, otherToken)),
            ("for another app", FulfilmentData.SignedPush(store, message, otherApp)),
            ("another key", FulfilmentData.SignedPush(store, message, otherKey)),
            ("tampered ciphertext", FulfilmentData.SignedPush(store, message, tamper: e => (e[0] == 'A' ? 'B' : 'A') + e[1..])),
            ("re-signed tampered ciphertext", Resigned(store, crypt, Convert.ToBase64String(Flip(Convert.FromBase64String(crypt.Encrypt(message)))))),
            ("a DTD with an entity", FulfilmentData.SignedPush(store, dtd)),
            ("a replay from an hour ago", FulfilmentData.SignedPush(store, message, timestamp: DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds())),
            ("oversized", Raw("?signature=x&timestamp=1&nonce=1&encrypt_type=aes&msg_signature=x", "{\"Encrypt\":\"" + new string('A', 70_000) + "\"}")),
            ("plaintext", Raw($"?signature={crypt.Sign("1", "1")}&timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}&nonce=1", message)),
            ("not an event", FulfilmentData.SignedPush(store, "hello")),
            ("garbage envelope", Raw($"?timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}&nonce=1&encrypt_type=aes&msg_signature={new string('0', 40)}", "<xml><Encrypt>")),
            ("other encrypt_type", Raw($"?timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}&nonce=1&encrypt_type=des&msg_signature={new string('0', 40)}", "{}")),
        };
        await Forgeries.AssertRefusedNothingWrittenAsync(store, cases);
        Assert.Equal(0, await store.Service<ISubscriptionGrants>().CountAsync(openId, "tmpl-order-shipped", default));
    }

    private static HttpRequestMessage Raw(string query, string body)
        => new(HttpMethod.Post, "/api/wechat/push" + query) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpRequestMessage Resigned(StoreFixture store, WxBizMsgCrypt crypt, string encrypted)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Raw($"?timestamp={ts}&nonce=7&encrypt_type=aes&msg_signature={crypt.Sign(ts, "7", encrypted)}", $"{{\"ToUserName\":\"gh\",\"Encrypt\":\"{encrypted}\"}}");
    }

    private static byte[] Flip(byte[] bytes)
    {
        // A bit in the first block: CBC garbles that block and flips the same bit of the next (the length field).
        bytes[3] ^= 0x40;
        return bytes;
    }
}
