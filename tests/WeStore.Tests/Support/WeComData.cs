using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeStore.WeChat.Push;

namespace WeStore.Tests.Support;

/// <summary>WeCom contact-me codes, adds through the sandbox, and callbacks signed as WeCom signs them.</summary>
public static class WeComData
{
    public static object Way(string channel = "packaging", string? couponCampaignId = null, string[]? staff = null, bool card = true) => new
    {
        name = "包装码 " + channel,
        channel,
        staffUserIds = staff ?? ["staff.li"],
        couponCampaignId,
        welcome = card
            ? new { text = "欢迎加入！首单立减券已放入你的账户。", miniProgramTitle = (string?)"进店逛逛", miniProgramPage = (string?)"pages/index/index" }
            : new { text = "欢迎加入！", miniProgramTitle = (string?)null, miniProgramPage = (string?)null },
    };

    public static async Task<HttpResponseMessage> PostWayAsync(StoreFixture store, object body, string? idempotencyKey = null)
    {
        var request = AttributionData.Manage(HttpMethod.Post, "/api/manage/contact-ways", TestData.Json(JsonSerializer.Serialize(body)));
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await store.Client.SendAsync(request);
    }

    /// <summary>Creates a way and returns its state.</summary>
    public static async Task<string> CreateWayAsync(StoreFixture store, object body)
    {
        var response = await PostWayAsync(store, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString()!;
    }

    /// <summary>A campaign a contact-me code can issue (a channel's: issueOn scan).</summary>
    public static Task<string> CampaignAsync(StoreFixture store, long amountOff = 500) => CouponData.CreateCampaignAsync(store, CouponData.Fixed(amountOff, issueOn: "scan"));

    /// <summary>The shopper (a wx.login code stem, so the unionid is the Mini Program's) adds the staff member through the code.</summary>
    public static async Task<JsonElement> AddAsync(StoreFixture store, string? state, string shopper, int copies = 1, int ageSeconds = 0, string? userId = null)
    {
        var client = store.Sandbox.Client();
        var response = await client.PostAsJsonAsync($"{store.Sandbox.Url}/sandbox/wecom/add", new { state, shopper, copies, ageSeconds, userId });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> DeleteAsync(StoreFixture store, string externalUserId, string userId, string by)
    {
        var client = store.Sandbox.Client();
        var response = await client.PostAsync($"{store.Sandbox.Url}/sandbox/wecom/delete?externalUserId={externalUserId}&userId={userId}&by={by}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static WxBizMsgCrypt Crypt(StoreFixture store) => new(store.Sandbox.Options.WeComCallbackToken, store.Sandbox.Options.WeComCallbackAesKey, store.Sandbox.Options.WeComCorpId);

    /// <summary>A callback of <paramref name="message"/> as WeCom signs it (msg_signature, timestamp, nonce; XML envelope).</summary>
    public static HttpRequestMessage Callback(StoreFixture store, string message, WxBizMsgCrypt? crypt = null, Func<string, string>? tamper = null, string? msgSignature = null)
    {
        crypt ??= Crypt(store);
        var e = SignedEnvelope.Seal(crypt, message, tamper: tamper, msgSignature: msgSignature);
        return new HttpRequestMessage(HttpMethod.Post, $"/api/wecom/callback?msg_signature={e.MsgSignature}&timestamp={e.Timestamp}&nonce={e.Nonce}")
        {
            Content = new StringContent($"<xml><ToUserName><![CDATA[{store.Sandbox.Options.WeComCorpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[{e.Encrypted}]]></Encrypt></xml>",
                Encoding.UTF8, "text/xml"),
        };
    }

    public static string AddEvent(string corpId, string externalUserId, string userId, long createTime, string? state, string? welcomeCode)
        => $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
           + $"<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[{userId}]]></UserID>"
           + $"<ExternalUserID><![CDATA[{externalUserId}]]></ExternalUserID><State><![CDATA[{state}]]></State><WelcomeCode><![CDATA[{welcomeCode}]]></WelcomeCode></xml>";

    public static async Task<JsonElement[]> WelcomesAsync(StoreFixture store, string externalUserId)
    {
        var client = store.Sandbox.Client();
        var body = await client.GetFromJsonAsync<JsonElement>($"{store.Sandbox.Url}/sandbox/wecom/welcome/{externalUserId}");
        return [.. body.GetProperty("welcomes").EnumerateArray()];
    }

    public static async Task<JsonElement> ContactAsync(StoreFixture store, string externalUserId)
    {
        var client = store.Sandbox.Client();
        return await client.GetFromJsonAsync<JsonElement>($"{store.Sandbox.Url}/sandbox/wecom/contacts/{externalUserId}");
    }

    /// <summary>The report row of one contact-me code for today.</summary>
    public static async Task<JsonElement?> WayRowAsync(StoreFixture store, string state)
    {
        var report = await AttributionData.ReportAsync(store, "groupBy=contactWay");
        foreach (var row in report.GetProperty("rows").EnumerateArray()) if (row.GetProperty("key").GetString() == state) return row;
        return null;
    }
}
