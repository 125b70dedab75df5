using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace WeStore.Sandbox;

/// <summary>
/// qyapi.weixin.qq.com's customer-contact APIs as the store sees them, with WeCom's rules and errcodes
/// (https://developer.work.weixin.qq.com/document/path/92228, 92114, 92137, 90253, 92117):
/// <list type="bullet">
/// <item><c>gettoken</c> (40013 wrong corp, 40001 wrong secret); every call checks the token (41001, 40014, 42001)
/// and, when <c>Sandbox:WeComTrustedIps</c> is set, the caller's IP (60020);</item>
/// <item>contact-me codes (41037 without a type; state ≤30; one user for type 1; ≤100 users);</item>
/// <item>a welcome code lives 20 s and is used once, then 41051; media ids live 3 days;</item>
/// <item>corp tags: duplicate names collapse; <c>mark_tag</c> refuses unknown tags (40068) and two empty lists.</item>
/// </list>
/// <c>POST /sandbox/wecom/add</c> plays a WeChat user adding a staff member through a code: the signed, encrypted
/// <c>add_external_contact</c> event goes to the store's callback. Unknown or expired ids answer 40058 (WeCom's
/// errcode for an expired welcome code is not published).
/// </summary>
internal static partial class WeComApi
{
    private const string Prefix = "/cgi-bin/";

    public static void Map(WebApplication app)
    {
        app.MapGet("/cgi-bin/gettoken", (HttpRequest request, SandboxState calls, WeComState state, IOptions<SandboxOptions> options, TimeProvider time) =>
        {
            calls.Record("wecom/gettoken");
            if (UntrustedIp(request, options.Value) is { } denied) return denied;
            var q = request.Query;
            if (q["corpid"] != options.Value.WeComCorpId) return MiniProgramApi.Error(40013, "invalid corpid");
            if (string.IsNullOrEmpty(q["corpsecret"])) return MiniProgramApi.Error(41004, "corpsecret missing");
            if (q["corpsecret"] != options.Value.WeComSecret) return MiniProgramApi.Error(40001, "invalid credential");
            var (token, expiresIn) = state.GetToken(time.GetUtcNow(), options.Value.AccessTokenLifetimeSeconds);
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["access_token"] = token, ["expires_in"] = expiresIn });
        });

        app.MapGet("/sandbox/wecom/qr/{file}", (string file, WeComState state) =>
        {
            var configId = file.EndsWith(".png", StringComparison.Ordinal) ? file[..^4] : file;
            if (!state.Ways.ContainsKey(configId)) return Results.NotFound();
            using var generator = new QRCoder.QRCodeGenerator();
            using var data = generator.CreateQrCode("https://work.weixin.qq.com/ca/sandbox/" + configId, QRCoder.QRCodeGenerator.ECCLevel.M);
            return Results.Bytes(new QRCoder.PngByteQRCode(data).GetGraphic(8), "image/png");
        });

        Post(app, "externalcontact/add_contact_way", (body, state, o, now) =>
        {
            var type = Int(body, "type");
            var scene = Int(body, "scene");
            if (type is null) return MiniProgramApi.Error(41037, "missing contact way type");
            if (type is not (1 or 2) || scene is not (1 or 2)) return MiniProgramApi.Error(40058, "invalid type or scene");
            var stateValue = body["state"]?.ToString() ?? string.Empty;
            if (stateValue.Length > 30) return MiniProgramApi.Error(40058, "state exceeds 30 characters");
            var users = (body["user"] as JsonArray)?.Select(u => u?.ToString() ?? string.Empty).ToList() ?? [];
            if (users.Count == 0 || (type == 1 && users.Count != 1) || users.Count > 100 || users.Any(string.IsNullOrEmpty)) return MiniProgramApi.Error(40058, "invalid user list");
            if (state.Ways.Count >= 500_000) return MiniProgramApi.Error(41054, "contact way count exceeds limit");
            var configId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            // WeCom answers a link to the code's picture; the sandbox serves a real one (GET /sandbox/wecom/qr/{config_id}.png).
            var qr = scene == 2 ? $"{state.PublicBase}/sandbox/wecom/qr/{configId}.png" : null;
            state.Ways[configId] = new SandboxContactWay(configId, type.Value, scene.Value, stateValue, users, body["skip_verify"]?.GetValue<bool>() ?? true, qr, now);
            // "add_contact_way_lost": the way is made, but the answer never reaches the caller (a gateway error).
            if (state.NextFault("add_contact_way_lost") != 0) return Results.StatusCode(502);
            var answer = new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["config_id"] = configId };
            if (qr is not null) answer["qr_code"] = qr;
            return Results.Json(answer);
        });

        Post(app, "externalcontact/get_contact_way", (body, state, o, now) =>
            body["config_id"]?.ToString() is { } id && state.Ways.TryGetValue(id, out var w)
                ? Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["contact_way"] = WayJson(w) })
                : MiniProgramApi.Error(40058, "invalid config_id"));

        Post(app, "externalcontact/list_contact_way", (body, state, o, now) =>
        {
            var start = Long(body, "start_time") ?? (now - TimeSpan.FromDays(90)).ToUnixTimeSeconds();
            var end = Long(body, "end_time") ?? now.ToUnixTimeSeconds();
            var limit = Math.Clamp(Int(body, "limit") ?? 100, 1, 1000);
            var skip = int.TryParse(body["cursor"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 0;
            var matching = state.Ways.Values.Where(w => w.CreatedAt.ToUnixTimeSeconds() >= start && w.CreatedAt.ToUnixTimeSeconds() <= end)
                .OrderBy(w => w.CreatedAt).ThenBy(w => w.ConfigId, StringComparer.Ordinal).ToList();
            var page = matching.Skip(skip).Take(limit).ToList();
            var answer = new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["contact_way"] = new JsonArray([.. page.Select(w => (JsonNode)new JsonObject { ["config_id"] = w.ConfigId })]) };
            if (skip + page.Count < matching.Count) answer["next_cursor"] = (skip + page.Count).ToString(CultureInfo.InvariantCulture);
            return Results.Json(answer);
        });

        Post(app, "externalcontact/del_contact_way", (body, state, o, now) =>
            body["config_id"]?.ToString() is { } id && state.Ways.TryRemove(id, out _) ? Ok() : MiniProgramApi.Error(40058, "invalid config_id"));

        app.MapGet("/cgi-bin/externalcontact/get", (HttpRequest request, SandboxState calls, WeComState state, IOptions<SandboxOptions> options, TimeProvider time) =>
        {
            calls.Record("wecom/externalcontact/get");
            if (Denied(request, state, options.Value, time) is { } denied) return denied;
            var id = request.Query["external_userid"].ToString();
            if (!state.Customers.TryGetValue(id, out var customer)) return MiniProgramApi.Error(84061, "not external contact");
            var contact = new JsonObject { ["external_userid"] = customer.ExternalUserId, ["name"] = "沙盒顾客", ["type"] = customer.Type, ["gender"] = 0 };
            if (customer.UnionId is not null && customer.Type == 1) contact["unionid"] = customer.UnionId;
            var follow = state.WelcomeCodes.Values.Where(w => w.ExternalUserId == id).Select(w => (JsonNode)new JsonObject
            {
                ["userid"] = w.UserId, ["createtime"] = w.IssuedAt.ToUnixTimeSeconds(), ["add_way"] = 1,
            });
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["external_contact"] = contact, ["follow_user"] = new JsonArray([.. follow]) });
        });

        Post(app, "externalcontact/send_welcome_msg", (body, state, o, now) =>
        {
            if (state.NextFault("send_welcome_msg") is not 0 and var fault) return MiniProgramApi.Error(fault, "sandbox fault");
            var code = body["welcome_code"]?.ToString();
            if (string.IsNullOrEmpty(code) || !state.WelcomeCodes.TryGetValue(code, out var welcome)) return MiniProgramApi.Error(40058, "invalid welcome_code");
            var text = body["text"]?["content"]?.ToString();
            var attachments = body["attachments"] as JsonArray ?? [];
            if (text is null && attachments.Count == 0) return MiniProgramApi.Error(40058, "text and attachments are both empty");
            if (text is not null && Encoding.UTF8.GetByteCount(text) > 4000) return MiniProgramApi.Error(40058, "text.content exceeds 4000 bytes");
            if (attachments.Count > 9) return MiniProgramApi.Error(40058, "more than 9 attachments");
            string? title = null, page = null, media = null;
            foreach (var a in attachments.OfType<JsonObject>())
            {
                if (a["msgtype"]?.ToString() != "miniprogram") continue;
                var mp = a["miniprogram"] as JsonObject;
                title = mp?["title"]?.ToString();
                page = mp?["page"]?.ToString();
                media = mp?["pic_media_id"]?.ToString();
                if (string.IsNullOrEmpty(title) || Encoding.UTF8.GetByteCount(title) > 64 || string.IsNullOrEmpty(page)) return MiniProgramApi.Error(40058, "invalid miniprogram title or page");
                if (mp?["appid"]?.ToString() != o.AppId) return MiniProgramApi.Error(40058, "the miniprogram is not associated with the corp");
                if (media is null || !state.Media.TryGetValue(media, out var uploaded) || now - uploaded > TimeSpan.FromDays(3)) return MiniProgramApi.Error(40007, "invalid media_id");
            }

            if (now - welcome.IssuedAt > TimeSpan.FromSeconds(20)) return MiniProgramApi.Error(40058, "welcome_code expired");
            if (!welcome.TryUse()) return MiniProgramApi.Error(41051, "externaluser has started chatting");
            state.Welcomes.GetOrAdd(welcome.ExternalUserId, _ => new()).Enqueue(
                new SandboxWelcome(welcome.UserId, text ?? string.Empty, title, page, media, now, Math.Round((now - welcome.IssuedAt).TotalSeconds, 3)));
            return Ok();
        });

        app.MapPost("/cgi-bin/media/upload", async (HttpRequest request, SandboxState calls, WeComState state, IOptions<SandboxOptions> options, TimeProvider time) =>
        {
            calls.Record("wecom/media/upload");
            if (Denied(request, state, options.Value, time) is { } denied) return denied;
            var type = request.Query["type"].ToString();
            if (type is not ("image" or "voice" or "video" or "file")) return MiniProgramApi.Error(40004, "invalid media type");
            if (!request.HasFormContentType) return MiniProgramApi.Error(44001, "empty media data");
            var form = await request.ReadFormAsync();
            if (form.Files["media"] is not { } file || file.Length <= 5) return MiniProgramApi.Error(44001, "empty media data");
            if (type == "image" && file.Length > 10 * 1024 * 1024) return MiniProgramApi.Error(40009, "invalid image size");
            var mediaId = "3" + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
            var now = time.GetUtcNow();
            state.Media[mediaId] = now;
            return Results.Json(new JsonObject
            {
                ["errcode"] = 0, ["errmsg"] = "ok", ["type"] = type, ["media_id"] = mediaId, ["created_at"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            });
        });

        Post(app, "externalcontact/get_corp_tag_list", (body, state, o, now) => Results.Json(new JsonObject
        {
            ["errcode"] = 0, ["errmsg"] = "ok",
            ["tag_group"] = new JsonArray([.. state.TagGroups.Select(g => (JsonNode)GroupJson(g.Key, g.Value.GroupId, g.Value.Tags))]),
        }));

        Post(app, "externalcontact/add_corp_tag", (body, state, o, now) =>
        {
            var names = (body["tag"] as JsonArray)?.Select(t => t?["name"]?.ToString()).ToList() ?? [];
            if (names.Count == 0 || names.Any(n => string.IsNullOrEmpty(n) || n.Length > 30)) return MiniProgramApi.Error(40058, "invalid tag list");
            var groupId = body["group_id"]?.ToString();
            var groupName = groupId is null ? body["group_name"]?.ToString() : state.TagGroups.FirstOrDefault(g => g.Value.GroupId == groupId).Key;
            if (string.IsNullOrEmpty(groupName) || groupName.Length > 30) return MiniProgramApi.Error(40058, "invalid group");
            var group = state.TagGroups.GetOrAdd(groupName, _ => ("et" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), new(StringComparer.Ordinal)));
            if (state.TagGroups.Sum(g => g.Value.Tags.Count) + names.Count > 3000) return MiniProgramApi.Error(40071, "tag count exceeds limit");
            // Duplicate names collapse onto the tag already there.
            foreach (var name in names) group.Tags.GetOrAdd(name!, _ => "et" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant());
            var named = names.Distinct(StringComparer.Ordinal).Select(n => new KeyValuePair<string, string>(n!, group.Tags[n!])).ToList();
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["tag_group"] = GroupJson(groupName, group.GroupId, named) });
        });

        Post(app, "externalcontact/mark_tag", (body, state, o, now) =>
        {
            var userId = body["userid"]?.ToString();
            var externalUserId = body["external_userid"]?.ToString();
            var add = (body["add_tag"] as JsonArray)?.Select(t => t?.ToString() ?? string.Empty).ToList() ?? [];
            var remove = (body["remove_tag"] as JsonArray)?.Select(t => t?.ToString() ?? string.Empty).ToList() ?? [];
            if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(externalUserId)) return MiniProgramApi.Error(40058, "userid and external_userid are required");
            if (add.Count == 0 && remove.Count == 0) return MiniProgramApi.Error(40058, "add_tag and remove_tag are both empty");
            if (!state.Customers.ContainsKey(externalUserId)) return MiniProgramApi.Error(84061, "not external contact");
            var known = state.TagGroups.Values.SelectMany(g => g.Tags.Values).ToHashSet(StringComparer.Ordinal);
            if (add.Concat(remove).Any(t => !known.Contains(t))) return MiniProgramApi.Error(40068, "invalid tagid");
            var tags = state.RelationTags.GetOrAdd((userId, externalUserId), _ => new(StringComparer.Ordinal));
            foreach (var t in add) tags[t] = true;
            foreach (var t in remove) tags.TryRemove(t, out _);
            return Ok();
        });

        MapGroupMessages(app);

        // The shopper adds a staff member through a code (or, without a state, by search): WeCom pushes the event.
        app.MapPost("/sandbox/wecom/add", async (HttpRequest request, SandboxState calls, WeComState state, PushSender push, IOptions<SandboxOptions> options,
            TimeProvider time, CancellationToken ct) =>
        {
            if (await MiniProgramApi.ReadJsonAsync(request) is not JsonObject body) return Results.BadRequest(new { error = "a JSON body is required" });
            var o = options.Value;
            var stateValue = body["state"]?.ToString();
            var way = stateValue is null ? null : state.Ways.Values.FirstOrDefault(w => w.State == stateValue);
            if (stateValue is not null && way is null) return Results.NotFound(new { error = "no contact way with that state" });
            var userId = body["userId"]?.ToString() ?? way?.Users[0];
            if (string.IsNullOrEmpty(userId) || (way is not null && !way.Users.Contains(userId))) return Results.BadRequest(new { error = "userId must be one of the way's users" });
            // A shopper code (as for wx.login) gives the same unionid the Mini Program login gets.
            var unionId = body["unionid"]?.ToString() ?? (body["shopper"]?.ToString() is { Length: > 0 } shopper ? calls.Derive("u", o.AppId, shopper) : null);
            var externalUserId = body["externalUserId"]?.ToString() ?? "wm" + (unionId is null ? Convert.ToHexString(RandomNumberGenerator.GetBytes(12)) : calls.Derive("w", o.WeComCorpId, unionId)[1..]);
            state.Customers[externalUserId] = new SandboxCustomer(externalUserId, unionId, 1);
            state.Relations[(userId, externalUserId)] = true;
            var age = body["ageSeconds"]?.GetValue<int>() ?? 0;
            var at = time.GetUtcNow() - TimeSpan.FromSeconds(age);
            var createTime = body["createTime"]?.GetValue<long>() ?? at.ToUnixTimeSeconds();
            var welcomeCode = body["noWelcomeCode"]?.GetValue<bool>() == true ? null : "wc" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            if (welcomeCode is not null) state.WelcomeCodes[welcomeCode] = new SandboxWelcomeCode(welcomeCode, externalUserId, userId, DateTimeOffset.FromUnixTimeSeconds(createTime));
            var evt = ContactEvent("add_external_contact", userId, externalUserId, createTime, o);
            if (stateValue is not null) evt["State"] = stateValue;
            if (welcomeCode is not null) evt["WelcomeCode"] = welcomeCode;
            var copies = Math.Clamp(body["copies"]?.GetValue<int>() ?? 1, 1, 50);
            var results = await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => push.PushWeComAsync(evt, ct)));
            return Results.Json(new
            {
                externalUserId, unionid = unionId, userId, welcomeCode, createTime,
                pushStatus = results[0].Status, pushBody = results[0].Body, pushStatuses = results.Select(r => r.Status).ToArray(),
            });
        });

        // The staff member deletes the customer (by=staff), or the customer deletes the staff member (by=customer).
        app.MapPost("/sandbox/wecom/delete", async (string externalUserId, string userId, string? by, WeComState state, PushSender push, IOptions<SandboxOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            state.Relations[(userId, externalUserId)] = false;
            var evt = ContactEvent(by == "staff" ? "del_external_contact" : "del_follow_user", userId, externalUserId, time.GetUtcNow().ToUnixTimeSeconds(), options.Value);
            var (status, answer) = await push.PushWeComAsync(evt, ct);
            return Results.Json(new { pushStatus = status, pushBody = answer });
        });

        app.MapGet("/sandbox/wecom/welcome/{externalUserId}", (string externalUserId, WeComState state) =>
            Results.Json(new { welcomes = state.Welcomes.TryGetValue(externalUserId, out var q) ? q.ToArray() : [] }));

        // How fast welcomes went out: their count and the seconds from each add's event to its welcome (load figures).
        app.MapGet("/sandbox/wecom/welcome-stats", (WeComState state) =>
        {
            var delays = state.Welcomes.Values.SelectMany(q => q).Select(w => w.SecondsAfterAdd).Order().ToArray();
            double At(double q) => delays.Length == 0 ? 0 : delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(q * delays.Length) - 1)];
            return Results.Json(new
            {
                welcomes = delays.Length, within20s = delays.Count(d => d <= 20), p50 = At(0.5), p99 = At(0.99), max = delays.LastOrDefault(),
                codes = state.WelcomeCodes.Count,
            });
        });

        app.MapGet("/sandbox/wecom/contacts/{externalUserId}", (string externalUserId, WeComState state) =>
        {
            if (!state.Customers.TryGetValue(externalUserId, out var customer)) return Results.NotFound();
            var names = state.TagGroups.Values.SelectMany(g => g.Tags).ToDictionary(t => t.Value, t => t.Key, StringComparer.Ordinal);
            var tags = state.RelationTags.Where(r => r.Key.ExternalUserId == externalUserId)
                .ToDictionary(r => r.Key.UserId, r => r.Value.Keys.Select(id => names.GetValueOrDefault(id, id)).Order(StringComparer.Ordinal).ToArray());
            return Results.Json(new { customer.ExternalUserId, unionid = customer.UnionId, tags });
        });

        app.MapPost("/sandbox/wecom/faults", (string endpoint, int errcode, int? count, WeComState state) =>
        {
            var q = state.Faults.GetOrAdd(endpoint, _ => new());
            for (var i = 0; i < (count ?? 1); i++) q.Enqueue(errcode);
            return Results.NoContent();
        });

        app.MapPost("/sandbox/wecom/invalidate-token", (WeComState state) =>
        {
            state.InvalidateToken();
            return Results.NoContent();
        });
    }

    private static JsonObject ContactEvent(string changeType, string userId, string externalUserId, long createTime, SandboxOptions o) => new()
    {
        ["ToUserName"] = o.WeComCorpId,
        ["FromUserName"] = "sys",
        ["CreateTime"] = createTime,
        ["MsgType"] = "event",
        ["Event"] = "change_external_contact",
        ["ChangeType"] = changeType,
        ["UserID"] = userId,
        ["ExternalUserID"] = externalUserId,
    };

    /// <summary>A token-checked JSON POST under /cgi-bin/.</summary>
    private static void Post(WebApplication app, string path, Func<JsonObject, WeComState, SandboxOptions, DateTimeOffset, IResult> handle)
        => app.MapPost(Prefix + path, async (HttpRequest request, SandboxState calls, WeComState state, IOptions<SandboxOptions> options, TimeProvider time) =>
        {
            calls.Record("wecom/" + path);
            if (Denied(request, state, options.Value, time) is { } denied) return denied;
            if (await MiniProgramApi.ReadJsonAsync(request) is not JsonObject body) return MiniProgramApi.Error(47001, "data format error");
            state.PublicBase = $"{request.Scheme}://{request.Host}";
            return handle(body, state, options.Value, time.GetUtcNow());
        });

    private static IResult? Denied(HttpRequest request, WeComState state, SandboxOptions options, TimeProvider time)
    {
        if (UntrustedIp(request, options) is { } untrusted) return untrusted;
        var check = state.CheckToken(request.Query["access_token"], time.GetUtcNow());
        return check switch
        {
            0 => null,
            41001 => MiniProgramApi.Error(41001, "access_token missing"),
            42001 => MiniProgramApi.Error(42001, "access_token expired"),
            _ => MiniProgramApi.Error(40014, "invalid access_token"),
        };
    }

    private static IResult? UntrustedIp(HttpRequest request, SandboxOptions options)
    {
        if (options.WeComTrustedIps.Length == 0) return null;
        var ip = request.HttpContext.Connection.RemoteIpAddress?.MapToIPv4().ToString();
        return options.WeComTrustedIps.Split(',', StringSplitOptions.TrimEntries).Contains(ip)
            ? null
            : MiniProgramApi.Error(60020, $"not allow to access from your ip, from ip: {ip}");
    }

    private static IResult Ok() => Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" });

    private static int? Int(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    private static long? Long(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    private static JsonObject WayJson(SandboxContactWay w)
    {
        var json = new JsonObject
        {
            ["config_id"] = w.ConfigId, ["type"] = w.Type, ["scene"] = w.Scene, ["state"] = w.State, ["skip_verify"] = w.SkipVerify,
            ["user"] = new JsonArray([.. w.Users.Select(u => (JsonNode)JsonValue.Create(u)!)]),
        };
        if (w.QrCode is not null) json["qr_code"] = w.QrCode;
        return json;
    }

    private static JsonObject GroupJson(string name, string groupId, IEnumerable<KeyValuePair<string, string>> tags) => new()
    {
        ["group_id"] = groupId,
        ["group_name"] = name,
        ["tag"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["id"] = t.Value, ["name"] = t.Key })]),
    };
}
