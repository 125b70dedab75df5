using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using WeStore.Domain.Messaging;
using WeStore.Domain.Push;
using WeStore.WeChat.Push;

namespace WeStore.Load;

/// <summary>
/// WeCom callbacks as WeCom sends them: each an <c>edit_external_contact</c> of its own contact, encrypted for the
/// corp and signed. What is measured is the callback's answer (verify, decrypt, enqueue); the consumer, which records
/// the event once, runs beside it in the host.
/// </summary>
public sealed class WeComCallbackScenario(HttpClient client, string token, string encodingAesKey, string corpId, string run)
{
    private readonly WxBizMsgCrypt _crypt = new(token, encodingAesKey, corpId);

    public static string Event(string corpId, string run, int n, long now)
        => $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
           + $"<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[edit_external_contact]]></ChangeType><UserID><![CDATA[staff.load]]></UserID>"
           + $"<ExternalUserID><![CDATA[wmload{run}{n}]]></ExternalUserID></xml>";

    public async Task<int> SendAsync(int n, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var ts = now.ToString(CultureInfo.InvariantCulture);
        var nonce = n.ToString(CultureInfo.InvariantCulture);
        var encrypted = _crypt.Encrypt(Event(_crypt.ReceiveId, run, n, now));
        var url = $"/api/wecom/callback?msg_signature={_crypt.Sign(ts, nonce, encrypted)}&timestamp={ts}&nonce={nonce}";
        using var content = new StringContent($"<xml><ToUserName><![CDATA[{_crypt.ReceiveId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>",
            Encoding.UTF8, "text/xml");
        using var response = await client.PostAsync(url, content, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    }
}

/// <summary>
/// A push endpoint's floor: the same message (the event as the store queues it) enqueued straight at Azurite, and a
/// consumer beside it doing the store's consumer's storage work (<paramref name="consume"/>, then the delete).
/// </summary>
public sealed class PushFloor(string connectionString, string run, Func<int, string> document, Func<TableClient, PushEventMessage, Task> consume) : IAsyncDisposable
{
    private readonly QueueClient _queue = new(connectionString, "push-floor-" + run, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private readonly TableClient _table = new(connectionString, "PushFloor" + run);
    private FloorConsumer? _consumer;

    public async Task SetupAsync()
    {
        await _queue.CreateIfNotExistsAsync();
        await _table.CreateIfNotExistsAsync();
        _consumer = new FloorConsumer(_queue, async m =>
        {
            await consume(_table, JsonSerializer.Deserialize<PushEventMessage>(m.Body.ToString(), MessageJson.Options)!);
            await _queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }).Start();
    }

    public async Task<int> SendAsync(int n, CancellationToken ct)
    {
        var json = PushDocument.Parse(document(n))!.ToJsonString();
        await _queue.SendMessageAsync(JsonSerializer.Serialize(new PushEventMessage(json, DateTimeOffset.UtcNow, CopyId: Guid.NewGuid().ToString("N")), MessageJson.Options), ct);
        return 200;
    }

    public async ValueTask DisposeAsync()
    {
        if (_consumer is not null) await _consumer.DisposeAsync();
        await _queue.DeleteIfExistsAsync();
        await _table.DeleteAsync();
    }

    /// <summary>The WeCom consumer's work for an edit: one insert (the event seen).</summary>
    public static Task WeComEditAsync(TableClient table, PushEventMessage message)
        => table.AddEntityAsync(new TableEntity("wm" + Guid.NewGuid().ToString("N"), "ev|" + message.ReceivedAt.ToUnixTimeMilliseconds()) { ["ChangeType"] = "edit_external_contact" });

    /// <summary>The Official Account consumer's work for an unfollow of no known follower: two point reads (handled? the follower) and the mark.</summary>
    public static async Task UnfollowAsync(TableClient table, PushEventMessage message)
    {
        var partition = "o" + Guid.NewGuid().ToString("N");
        await table.GetEntityIfExistsAsync<TableEntity>(partition, "done|unsubscribe|1");
        await table.GetEntityIfExistsAsync<TableEntity>(partition, "follower");
        await table.AddEntityAsync(new TableEntity(partition, "done|unsubscribe|1"));
    }
}

/// <summary>
/// Official Account pushes as WeChat sends them in safe mode: each an <c>unsubscribe</c> of its own openid (the
/// consumer's lightest path), encrypted for the account's appid and signed. What is measured is the push's answer.
/// </summary>
public sealed class OfficialAccountPushScenario(HttpClient client, string token, string encodingAesKey, string appId, string run)
{
    private readonly WxBizMsgCrypt _crypt = new(token, encodingAesKey, appId);

    public static string Event(string run, int n, long now)
        => $"<xml><ToUserName><![CDATA[gh_load]]></ToUserName><FromUserName><![CDATA[oload{run}{n}]]></FromUserName><CreateTime>{now}</CreateTime>"
           + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event></xml>";

    public async Task<int> SendAsync(int n, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var ts = now.ToString(CultureInfo.InvariantCulture);
        var nonce = n.ToString(CultureInfo.InvariantCulture);
        var encrypted = _crypt.Encrypt(Event(run, n, now));
        var url = $"/api/wechat/official-account/push?signature={_crypt.Sign(ts, nonce)}&timestamp={ts}&nonce={nonce}&openid=oload{run}{n}&encrypt_type=aes&msg_signature={_crypt.Sign(ts, nonce, encrypted)}";
        using var content = new StringContent($"<xml><ToUserName><![CDATA[gh_load]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>", Encoding.UTF8, "text/xml");
        using var response = await client.PostAsync(url, content, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    }
}

/// <summary>
/// A burst of follows through one follow code: each a new WeChat user (a shopper stem, so a unionid) following in the
/// sandbox, which pushes each subscribe. After the queues drain: the storage requests per follow, consumers included.
/// </summary>
public sealed class FollowBurst(HttpClient store, HttpClient sandbox, StoreApi api, string? masterKey, string run)
{
    public async Task<string> RunAsync(int follows, int concurrency, string? storage)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/manage/follow-codes") { Content = JsonContent.Create(new { name = "load " + run, channel = "live" }) };
        create.Headers.Add("x-functions-key", masterKey);
        using var created = await store.SendAsync(create);
        created.EnsureSuccessStatusCode();
        var scene = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sceneStr").GetString()!;
        var before = await api.StatsAsync();
        var clock = Stopwatch.StartNew();
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, follows), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (n, ct) =>
        {
            using var response = await sandbox.PostAsJsonAsync("/sandbox/oa/scan", new { sceneStr = scene, shopper = $"oaload{run}{n}" }, ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (!response.IsSuccessStatusCode || body.GetProperty("pushStatus").GetInt32() != 200) Interlocked.Increment(ref failed);
        });
        var pushed = clock.Elapsed.TotalSeconds;
        if (storage is not null) await QueueDrain.WaitAsync(storage, ["official-account-events", "unionid-links"], TimeSpan.FromMinutes(5));
        var after = await api.StatsAsync();
        var perFollow = before is null || after is null ? "n/a" : ((after.StorageRequests - before.StorageRequests) / (double)follows).ToString("0.00", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"follows={follows} push_failures={failed} pushed_seconds={pushed:0.0} drained_seconds={clock.Elapsed.TotalSeconds:0.0} storage_per_follow={perFollow}");
    }
}

/// <summary>
/// A burst of adds through one contact-me code: each a new WeChat user adding the staff member in the sandbox, which
/// pushes the signed event to the store's callback. Then it waits for every welcome, and reads from the sandbox how
/// long each took from its add event (WeCom's code lives 20 s), and from the host how many storage requests the adds
/// cost, consumers included.
/// </summary>
public sealed class WeComBurst(HttpClient store, HttpClient sandbox, StoreApi api, string? masterKey, string run)
{
    public async Task<string> RunAsync(int adds, int concurrency, string? storage)
    {
        var campaign = await api.CreateCampaignAsync(adds * 2, 1, issueOn: "scan");
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/manage/contact-ways")
        {
            Content = JsonContent.Create(new
            {
                name = "load " + run, channel = "packaging", staffUserIds = new[] { "staff.load" }, couponCampaignId = campaign,
                welcome = new { text = "欢迎！首单券已备好。", miniProgramTitle = "进店看看", miniProgramPage = "pages/index/index" },
            }),
        };
        create.Headers.Add("x-functions-key", masterKey);
        using var created = await store.SendAsync(create);
        created.EnsureSuccessStatusCode();
        var state = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString()!;
        var stats = await sandbox.GetFromJsonAsync<JsonElement>("/sandbox/wecom/welcome-stats");
        var welcomedBefore = stats.GetProperty("welcomes").GetInt32();
        var before = await api.StatsAsync();

        var clock = Stopwatch.StartNew();
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, adds), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (n, ct) =>
        {
            using var response = await sandbox.PostAsJsonAsync("/sandbox/wecom/add", new { state, shopper = $"wcload{run}{n}" }, ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (!response.IsSuccessStatusCode || body.GetProperty("pushStatus").GetInt32() != 200) Interlocked.Increment(ref failed);
        });
        var pushed = clock.Elapsed.TotalSeconds;
        for (var i = 0; i < 1200; i++)
        {
            stats = await sandbox.GetFromJsonAsync<JsonElement>("/sandbox/wecom/welcome-stats");
            if (stats.GetProperty("welcomes").GetInt32() - welcomedBefore >= adds) break;
            await Task.Delay(100);
        }

        if (storage is not null) await QueueDrain.WaitAsync(storage, ["wecom-events", "unionid-links"], TimeSpan.FromMinutes(5));
        var after = await api.StatsAsync();
        var welcomed = stats.GetProperty("welcomes").GetInt32() - welcomedBefore;
        var perAdd = before is null || after is null ? "n/a" : ((after.StorageRequests - before.StorageRequests) / (double)adds).ToString("0.00", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"adds={adds} push_failures={failed} pushed_seconds={pushed:0.0} welcomed={welcomed} within20s_all={stats.GetProperty("within20s").GetInt32()} welcomes_all={stats.GetProperty("welcomes").GetInt32()} p50_s={stats.GetProperty("p50").GetDouble():0.000} p99_s={stats.GetProperty("p99").GetDouble():0.000} max_s={stats.GetProperty("max").GetDouble():0.000} storage_per_add={perAdd} adds_per_s={adds / pushed:0.0}");
    }
}
