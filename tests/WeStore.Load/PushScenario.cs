using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using WeStore.WeChat.Push;

namespace WeStore.Load;

/// <summary>
/// Mini Program message pushes as WeChat sends them in safe mode: each a subscription grant of its own member, signed
/// and encrypted with the store's Token and EncodingAESKey. What is measured is the push endpoint's answer, which
/// verifies, decrypts and enqueues; the consumer runs after.
/// </summary>
public sealed class PushScenario(HttpClient client, string token, string encodingAesKey, string appId, string run)
{
    private readonly WxBizMsgCrypt _crypt = new(token, encodingAesKey, appId);

    public async Task<int> SendAsync(int n, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var message = new JsonObject
        {
            ["ToUserName"] = "gh_load", ["FromUserName"] = $"opush{run}{n}", ["CreateTime"] = now, ["MsgType"] = "event", ["Event"] = "subscribe_msg_popup_event",
            ["List"] = new JsonObject { ["TemplateId"] = "tmpl-order-shipped", ["SubscribeStatusString"] = "accept", ["PopupScene"] = "0" },
        }.ToJsonString();
        var ts = now.ToString(CultureInfo.InvariantCulture);
        var nonce = n.ToString(CultureInfo.InvariantCulture);
        var encrypted = _crypt.Encrypt(message);
        var url = $"/api/wechat/push?signature={_crypt.Sign(ts, nonce)}&timestamp={ts}&nonce={nonce}&encrypt_type=aes&msg_signature={_crypt.Sign(ts, nonce, encrypted)}";
        using var content = new StringContent(new JsonObject { ["ToUserName"] = "gh_load", ["Encrypt"] = encrypted }.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(url, content, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    }
}
