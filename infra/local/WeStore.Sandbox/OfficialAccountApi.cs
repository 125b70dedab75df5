using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using QRCoder;

namespace WeStore.Sandbox;

/// <summary>
/// The Official Account's APIs as the store sees them (https://developers.weixin.qq.com/doc/service/):
/// <c>qrcode/create</c> (QR_STR_SCENE up to 2,592,000 s, 60 s when left out; QR_LIMIT_STR_SCENE, 100,000 per account;
/// scene_str 1–64), <c>showqrcode</c> (a real PNG), <c>user/info</c> (subscribe 0 with nothing else for a non-follower;
/// the unionid otherwise), and <c>message/template/send</c> (followers only, 43004 otherwise; <c>client_msg_id</c>
/// dedupes for 10 minutes). <c>POST /sandbox/oa/scan</c> plays a WeChat user scanning a follow code and pushes
/// <c>subscribe</c> (or <c>SCAN</c> when already following), encrypted for the account.
/// </summary>
internal static class OfficialAccountApi
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/cgi-bin/qrcode/create", async (HttpRequest request, SandboxState calls, OfficialAccountState state, TimeProvider time) =>
        {
            calls.Record("oa/qrcode/create");
            if (Denied(request, state, time) is { } denied) return denied;
            if (await MiniProgramApi.ReadJsonAsync(request) is not JsonObject body) return MiniProgramApi.Error(47001, "data format error");
            var action = body["action_name"]?.ToString();
            var scene = body["action_info"]?["scene"]?["scene_str"]?.ToString();
            if (action is not ("QR_STR_SCENE" or "QR_LIMIT_STR_SCENE")) return MiniProgramApi.Error(40053, "invalid action info");
            if (string.IsNullOrEmpty(scene) || scene.Length > 64) return MiniProgramApi.Error(40009, "invalid scene_str");
            var permanent = action == "QR_LIMIT_STR_SCENE";
            if (permanent && !state.TryTakePermanent()) return MiniProgramApi.Error(45028, "the permanent qrcode limit is reached");
            var seconds = body["expire_seconds"] is JsonValue v && v.TryGetValue<int>(out var s) ? Math.Min(s, 2_592_000) : 60;
            var ticket = "gQ" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('/', '_').Replace('+', '-');
            var url = "http://weixin.qq.com/q/sandbox" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            state.Codes[ticket] = new SandboxFollowCode(ticket, scene, permanent, permanent ? null : time.GetUtcNow().AddSeconds(seconds), url);
            var answer = new JsonObject { ["ticket"] = ticket, ["url"] = url };
            if (!permanent) answer["expire_seconds"] = seconds;
            return Results.Json(answer);
        });

        app.MapGet("/cgi-bin/showqrcode", (string? ticket, OfficialAccountState state) =>
        {
            if (ticket is null || !state.Codes.TryGetValue(ticket, out var code)) return Results.NotFound();
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(code.Url, QRCodeGenerator.ECCLevel.M);
            return Results.Bytes(new PngByteQRCode(data).GetGraphic(8), "image/png");
        });

        app.MapGet("/cgi-bin/user/info", (HttpRequest request, string? openid, SandboxState calls, OfficialAccountState state, TimeProvider time) =>
        {
            calls.Record("oa/user/info");
            if (Denied(request, state, time) is { } denied) return denied;
            if (string.IsNullOrEmpty(openid)) return MiniProgramApi.Error(40003, "invalid openid");
            if (!state.Followers.TryGetValue(openid, out var f) || !f.Following) return Results.Json(new JsonObject { ["subscribe"] = 0, ["openid"] = openid });
            var info = new JsonObject
            {
                ["subscribe"] = 1, ["openid"] = openid, ["subscribe_time"] = f.SubscribedAt.ToUnixTimeSeconds(),
                ["subscribe_scene"] = f.SceneStr is null ? "ADD_SCENE_SEARCH" : "ADD_SCENE_QR_CODE", ["qr_scene"] = 0, ["qr_scene_str"] = f.SceneStr ?? string.Empty,
                ["remark"] = string.Empty, ["groupid"] = 0, ["tagid_list"] = new JsonArray(),
            };
            if (f.UnionId is not null) info["unionid"] = f.UnionId;
            return Results.Json(info);
        });

        app.MapPost("/cgi-bin/message/template/send", async (HttpRequest request, SandboxState calls, OfficialAccountState state, IOptions<SandboxOptions> options, TimeProvider time) =>
        {
            calls.Record("oa/message/template/send");
            if (Denied(request, state, time) is { } denied) return denied;
            if (await MiniProgramApi.ReadJsonAsync(request) is not JsonObject body) return MiniProgramApi.Error(47001, "data format error");
            var touser = body["touser"]?.ToString();
            var template = body["template_id"]?.ToString();
            if (string.IsNullOrEmpty(touser)) return MiniProgramApi.Error(40003, "invalid openid");
            if (string.IsNullOrEmpty(template)) return MiniProgramApi.Error(40037, "invalid template_id");
            if (!state.Followers.TryGetValue(touser, out var f) || !f.Following) return MiniProgramApi.Error(43004, "require subscribe");
            var appId = body["miniprogram"]?["appid"]?.ToString();
            if (appId is not null && appId != options.Value.AppId) return MiniProgramApi.Error(40165, "invalid weapp pagepath");
            var clientMsgId = body["client_msg_id"]?.ToString() ?? string.Empty;
            var now = time.GetUtcNow();
            if (clientMsgId.Length > 0 && state.Sent.TryGetValue((touser, clientMsgId), out var sent) && now - sent.At < TimeSpan.FromMinutes(10))
            {
                return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["msgid"] = sent.MsgId });
            }

            var msgId = state.NextMsgId();
            state.Sent[(touser, clientMsgId)] = (msgId, now);
            state.Messages.Enqueue(new SandboxTemplateMessage(touser, template, appId, body["miniprogram"]?["pagepath"]?.ToString(), clientMsgId, body["data"]?.ToJsonString() ?? "{}", now));
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["msgid"] = msgId });
        });

        // A WeChat user scans a follow code: subscribe with EventKey qrscene_{scene} (or SCAN when already following).
        app.MapPost("/sandbox/oa/scan", async (HttpRequest request, SandboxState calls, OfficialAccountState state, PushSender push, IOptions<SandboxOptions> options,
            TimeProvider time, CancellationToken ct) =>
        {
            if (await MiniProgramApi.ReadJsonAsync(request) is not JsonObject body) return Results.BadRequest(new { error = "a JSON body is required" });
            var o = options.Value;
            var scene = body["sceneStr"]?.ToString();
            var code = scene is null ? null : state.Codes.Values.FirstOrDefault(c => c.SceneStr == scene);
            if (scene is not null && code is null) return Results.NotFound(new { error = "no follow code with that scene_str" });
            if (code?.ExpiresAt is { } expires && expires < time.GetUtcNow()) return Results.Conflict(new { error = "the code has expired" });
            var shopper = body["shopper"]?.ToString();
            var unionId = body["unionid"]?.ToString() ?? (shopper is { Length: > 0 } ? calls.Derive("u", o.AppId, shopper) : null);
            var openId = body["openid"]?.ToString() ?? (shopper is { Length: > 0 } ? calls.Derive("oa", o.OfficialAccountAppId, shopper) : "oa" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)));
            var follower = state.Followers.GetOrAdd(openId, id => new SandboxFollower(id, unionId));
            var createTime = body["createTime"]?.GetValue<long>() ?? time.GetUtcNow().ToUnixTimeSeconds();
            var evt = new JsonObject { ["ToUserName"] = "gh_sandboxoa01", ["FromUserName"] = openId, ["CreateTime"] = createTime, ["MsgType"] = "event" };
            if (follower.Following)
            {
                evt["Event"] = "SCAN";
                evt["EventKey"] = scene ?? string.Empty;
            }
            else
            {
                (follower.Following, follower.SubscribedAt, follower.SceneStr) = (true, DateTimeOffset.FromUnixTimeSeconds(createTime), scene);
                evt["Event"] = "subscribe";
                if (scene is not null) evt["EventKey"] = "qrscene_" + scene;
            }

            if (code is not null) evt["Ticket"] = code.Ticket;
            var copies = Math.Clamp(body["copies"]?.GetValue<int>() ?? 1, 1, 50);
            var results = await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => push.PushOfficialAccountAsync(evt, ct)));
            return Results.Json(new { openid = openId, unionid = unionId, @event = evt["Event"]!.ToString(), createTime, pushStatus = results[0].Status, pushBody = results[0].Body });
        });

        app.MapPost("/sandbox/oa/unsubscribe", async (string openid, long? createTime, OfficialAccountState state, PushSender push, TimeProvider time, CancellationToken ct) =>
        {
            if (!state.Followers.TryGetValue(openid, out var follower) || !follower.Following) return Results.Conflict(new { error = "not following" });
            follower.Following = false;
            var evt = new JsonObject
            {
                ["ToUserName"] = "gh_sandboxoa01", ["FromUserName"] = openid, ["CreateTime"] = createTime ?? time.GetUtcNow().ToUnixTimeSeconds(), ["MsgType"] = "event", ["Event"] = "unsubscribe",
            };
            var (status, answer) = await push.PushOfficialAccountAsync(evt, ct);
            return Results.Json(new { pushStatus = status, pushBody = answer });
        });

        app.MapGet("/sandbox/oa/messages", (OfficialAccountState state) => Results.Json(new { messages = state.Messages.ToArray() }));
    }

    private static IResult? Denied(HttpRequest request, OfficialAccountState state, TimeProvider time)
    {
        var check = state.Tokens.Check(request.Query["access_token"], time.GetUtcNow());
        return check == 0 ? null : MiniProgramApi.Error(check, check == 42001 ? "access_token expired" : "invalid credential, access_token is invalid or not latest");
    }
}
