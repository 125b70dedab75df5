using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeStore.WeChat.Push;

namespace WeStore.Tests.Support;

/// <summary>Follow codes, follows through the sandbox, and Official Account pushes signed as WeChat signs them.</summary>
public static class OfficialAccountData
{
    public static object Code(string channel = "live", string? couponCampaignId = null, bool? permanent = null, int? expireSeconds = null)
        => new { name = "直播间关注码 " + channel, channel, permanent, expireSeconds, couponCampaignId };

    public static Task<HttpResponseMessage> PostCodeAsync(StoreFixture store, object body)
        => store.Client.SendAsync(AttributionData.Manage(HttpMethod.Post, "/api/manage/follow-codes", TestData.Json(JsonSerializer.Serialize(body))));

    public static async Task<JsonElement> CreateCodeAsync(StoreFixture store, object body)
    {
        var response = await PostCodeAsync(store, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The shopper (a wx.login stem, so the unionid is the Mini Program's) scans the code: follows, or SCAN when following.</summary>
    public static async Task<JsonElement> ScanAsync(StoreFixture store, string? sceneStr, string shopper, int copies = 1, long? createTime = null)
    {
        var response = await store.Sandbox.Client().PostAsJsonAsync($"{store.Sandbox.Url}/sandbox/oa/scan", new { sceneStr, shopper, copies, createTime });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> UnfollowAsync(StoreFixture store, string openId, long? createTime = null)
    {
        var response = await store.Sandbox.Client().PostAsync($"{store.Sandbox.Url}/sandbox/oa/unsubscribe?openid={openId}" + (createTime is { } t ? $"&createTime={t}" : string.Empty), null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static WxBizMsgCrypt Crypt(StoreFixture store) => new(store.Sandbox.Options.OfficialAccountToken, store.Sandbox.Options.OfficialAccountAesKey, store.Sandbox.Options.OfficialAccountAppId);

    /// <summary>A safe-mode push of <paramref name="message"/> as WeChat signs it.</summary>
    public static HttpRequestMessage Push(StoreFixture store, string message, WxBizMsgCrypt? crypt = null, Func<string, string>? tamper = null, string? msgSignature = null)
    {
        crypt ??= Crypt(store);
        var e = SignedEnvelope.Seal(crypt, message, tamper: tamper, msgSignature: msgSignature);
        return new HttpRequestMessage(HttpMethod.Post, $"/api/wechat/official-account/push?signature={e.Signature}&timestamp={e.Timestamp}&nonce={e.Nonce}&openid=o1&encrypt_type=aes&msg_signature={e.MsgSignature}")
        {
            Content = new StringContent($"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[{e.Encrypted}]]></Encrypt></xml>", Encoding.UTF8, "text/xml"),
        };
    }

    public static string SubscribeEvent(string openId, string? scene, long createTime)
        => $"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[{openId}]]></FromUserName><CreateTime>{createTime}</CreateTime>"
           + $"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_{scene}]]></EventKey></xml>";

    public static async Task<JsonElement?> CodeRowAsync(StoreFixture store, string sceneStr)
    {
        var report = await AttributionData.ReportAsync(store, "groupBy=followCode");
        foreach (var row in report.GetProperty("rows").EnumerateArray()) if (row.GetProperty("key").GetString() == sceneStr) return row;
        return null;
    }
}
