using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace WeStore.Sandbox;

/// <summary>
/// WeChat's side of the Mini Program message push, in safe mode: the event is encrypted as WeChat encrypts it
/// (random 16 bytes, the length big-endian, the message, the appid; PKCS#7 to a 32-byte block; AES-256-CBC with the
/// key's first 16 bytes as IV), signed with <c>msg_signature</c> = SHA1 of the sorted token, timestamp, nonce and
/// ciphertext, and posted to <c>Sandbox:PushUrl</c> as JSON or XML. Written apart from the store's decryption on
/// purpose (https://developers.weixin.qq.com/doc/oplatform/developers/dev/push/encryption.html).
/// </summary>
public sealed class PushSender(IOptions<SandboxOptions> options, IHttpClientFactory clients, TimeProvider time, ILogger<PushSender> logger)
{
    public bool Configured => options.Value is { PushUrl.Length: > 0, PushToken.Length: > 0, PushEncodingAesKey.Length: 43 };

    /// <summary>Posts one event; the store's status and body, or (0, why) when no push is configured or the store is unreachable.</summary>
    public async Task<(int Status, string Body)> PushAsync(JsonObject evt, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!Configured) return (0, "no push configured (Sandbox:PushUrl, Sandbox:PushToken, Sandbox:PushEncodingAesKey)");
        evt["ToUserName"] ??= "gh_sandbox00000";
        evt["CreateTime"] ??= time.GetUtcNow().ToUnixTimeSeconds();
        evt["MsgType"] ??= "event";
        var xml = string.Equals(o.PushFormat, "xml", StringComparison.OrdinalIgnoreCase);
        var message = xml ? ToXml(evt) : evt.ToJsonString();
        var encrypted = Encrypt(message, o.PushEncodingAesKey, o.AppId);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var url = $"{o.PushUrl}?signature={Sha1(o.PushToken, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&encrypt_type=aes&msg_signature={Sha1(o.PushToken, timestamp, nonce, encrypted)}";
        var body = xml
            ? $"<xml><ToUserName><![CDATA[{evt["ToUserName"]}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
            : new JsonObject { ["ToUserName"] = evt["ToUserName"]!.ToString(), ["Encrypt"] = encrypted }.ToJsonString();
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, xml ? "text/xml" : "application/json");
            using var response = await clients.CreateClient("notify").PostAsync(url, content, cancellationToken);
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            logger.LogInformation("Pushed {Event} to the store: {Status}", evt["Event"]?.ToString(), (int)response.StatusCode);
            return ((int)response.StatusCode, answer);
        }
        catch (HttpRequestException e)
        {
            return (0, "the store's push URL is unreachable: " + e.Message);
        }
    }

    /// <summary>
    /// WeCom's side of its callback (https://developer.work.weixin.qq.com/document/path/90930): the XML event encrypted
    /// for the corp id, posted as <c>&lt;xml&gt;&lt;ToUserName/&gt;&lt;AgentID/&gt;&lt;Encrypt/&gt;&lt;/xml&gt;</c> with
    /// msg_signature, timestamp and nonce in the query (no plain signature, no encrypt_type).
    /// </summary>
    public async Task<(int Status, string Body)> PushWeComAsync(JsonObject evt, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o is not { WeComCallbackUrl.Length: > 0, WeComCallbackToken.Length: > 0, WeComCallbackAesKey.Length: 43 })
        {
            return (0, "no WeCom callback configured (Sandbox:WeComCallbackUrl, WeComCallbackToken, WeComCallbackAesKey)");
        }

        var encrypted = Encrypt(ToXml(evt), o.WeComCallbackAesKey, o.WeComCorpId);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var url = $"{o.WeComCallbackUrl}?msg_signature={Sha1(o.WeComCallbackToken, timestamp, nonce, encrypted)}&timestamp={timestamp}&nonce={nonce}";
        return await PostXmlAsync(url, $"<xml><ToUserName><![CDATA[{o.WeComCorpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>",
            "WeCom callback", cancellationToken);
    }

    /// <summary>
    /// The Official Account's side of its push in safe mode: XML encrypted for the account's appid, posted as
    /// <c>&lt;xml&gt;&lt;ToUserName/&gt;&lt;Encrypt/&gt;&lt;/xml&gt;</c> with signature, timestamp, nonce, openid,
    /// encrypt_type=aes and msg_signature in the query (https://developers.weixin.qq.com/doc/oplatform/developers/dev/push/encryption.html).
    /// </summary>
    public async Task<(int Status, string Body)> PushOfficialAccountAsync(JsonObject evt, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o is not { OfficialAccountPushUrl.Length: > 0, OfficialAccountToken.Length: > 0, OfficialAccountAesKey.Length: 43 })
        {
            return (0, "no Official Account push configured (Sandbox:OfficialAccountPushUrl, OfficialAccountToken, OfficialAccountAesKey)");
        }

        var encrypted = Encrypt(ToXml(evt), o.OfficialAccountAesKey, o.OfficialAccountAppId);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var url = $"{o.OfficialAccountPushUrl}?signature={Sha1(o.OfficialAccountToken, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid={evt["FromUserName"]}"
            + $"&encrypt_type=aes&msg_signature={Sha1(o.OfficialAccountToken, timestamp, nonce, encrypted)}";
        return await PostXmlAsync(url, $"<xml><ToUserName><![CDATA[{evt["ToUserName"]}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>",
            "Official Account push", cancellationToken);
    }

    private async Task<(int Status, string Body)> PostXmlAsync(string url, string body, string what, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "text/xml");
            using var response = await clients.CreateClient("notify").PostAsync(url, content, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException e)
        {
            return (0, $"the store's {what} URL is unreachable: {e.Message}");
        }
    }

    public static string Sha1(params string[] parts)
    {
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts)))).ToLowerInvariant();
    }

    public static string Encrypt(string message, string encodingAesKey, string appId, byte[]? random = null)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        var text = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(appId);
        var length = 16 + 4 + text.Length + id.Length;
        var pad = 32 - (length % 32);
        var plain = new byte[length + pad];
        (random ?? RandomNumberGenerator.GetBytes(16)).CopyTo(plain, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16), text.Length);
        text.CopyTo(plain, 20);
        id.CopyTo(plain, 20 + text.Length);
        plain.AsSpan(length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>The XML form WeChat pushes: one element per field, text in CDATA, numbers bare, nested objects as elements.</summary>
    public static string ToXml(JsonObject evt)
    {
        var xml = new StringBuilder("<xml>");
        void Write(string name, JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    xml.Append('<').Append(name).Append('>');
                    foreach (var (k, v) in o) Write(k, v);
                    xml.Append("</").Append(name).Append('>');
                    break;
                case JsonArray a:
                    foreach (var item in a) Write(name, item);
                    break;
                case JsonValue v when v.TryGetValue<string>(out var s):
                    xml.Append('<').Append(name).Append("><![CDATA[").Append(s).Append("]]></").Append(name).Append('>');
                    break;
                default:
                    xml.Append('<').Append(name).Append('>').Append(node?.ToJsonString()).Append("</").Append(name).Append('>');
                    break;
            }
        }

        foreach (var (k, v) in evt) Write(k, v);
        return xml.Append("</xml>").ToString();
    }
}
