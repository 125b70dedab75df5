using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace WeStore.Sandbox;

/// <summary>
/// api.weixin.qq.com as the store sees it. Login codes: any code works and maps to a stable openid, except the
/// prefixes <c>invalid</c> (40029), <c>used</c> (40163), <c>ratelimit</c> (45011), <c>risky</c> (40226),
/// <c>busy</c> (-1); and, to exercise the client's transport handling, <c>http500</c> (HTTP 500) and
/// <c>slow</c> (answers after SlowDelay).
/// </summary>
internal static class MiniProgramApi
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/sns/jscode2session", async (HttpRequest request, SandboxState state, IOptions<SandboxOptions> options, CancellationToken ct) =>
        {
            state.Record("sns/jscode2session");
            var o = options.Value;
            var q = request.Query;
            if (q["appid"] != o.AppId) return Error(40013, "invalid appid");
            if (q["secret"] != o.AppSecret) return Error(40125, "invalid appsecret");
            if (q["grant_type"] != "authorization_code") return Error(40002, "invalid grant_type");
            var code = q["js_code"].ToString();
            if (string.IsNullOrEmpty(code)) return Error(41008, "missing code");
            if (await PrefixErrorAsync(code, o, ct) is { } failure) return failure;

            return Results.Json(new JsonObject
            {
                ["openid"] = state.Derive("o", o.AppId, code),
                ["session_key"] = state.NewSessionKey(),
                ["unionid"] = state.Derive("u", o.AppId, code),
            });
        });

        app.MapPost("/cgi-bin/stable_token", async (HttpRequest request, SandboxState state, OfficialAccountState oa, IOptions<SandboxOptions> options, TimeProvider time) =>
        {
            state.Record("cgi-bin/stable_token");
            var body = await ReadJsonAsync(request);
            var o = options.Value;
            if (body is null) return Error(47001, "data format error");
            if (body["grant_type"]?.ToString() != "client_credential") return Error(40002, "invalid grant_type");
            if (body["appid"]?.ToString() == o.OfficialAccountAppId && o.OfficialAccountSecret.Length > 0)
            {
                // The Official Account is its own app with its own token.
                if (body["secret"]?.ToString() != o.OfficialAccountSecret) return Error(40001, "invalid credential, access_token is invalid or not latest");
                var (oaToken, oaExpires) = oa.Tokens.GetStableToken(body["force_refresh"]?.GetValue<bool>() ?? false, time.GetUtcNow(), o.AccessTokenLifetimeSeconds);
                return Results.Json(new JsonObject { ["access_token"] = oaToken, ["expires_in"] = oaExpires });
            }

            if (body["appid"]?.ToString() != o.AppId) return Error(40013, "invalid appid");
            if (body["secret"]?.ToString() != o.AppSecret) return Error(40001, "invalid credential, access_token is invalid or not latest");
            var force = body["force_refresh"]?.GetValue<bool>() ?? false;
            var (token, expiresIn) = state.GetStableToken(force, time.GetUtcNow(), o.AccessTokenLifetimeSeconds);
            return Results.Json(new JsonObject { ["access_token"] = token, ["expires_in"] = expiresIn });
        });

        app.MapPost("/wxa/business/getuserphonenumber", async (HttpRequest request, SandboxState state, IOptions<SandboxOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            state.Record("wxa/business/getuserphonenumber");
            if (TokenError(request, state, time) is { } denied) return denied;
            var body = await ReadJsonAsync(request);
            var code = body?["code"]?.ToString();
            if (string.IsNullOrEmpty(code)) return Error(47001, "data format error");
            var o = options.Value;
            if (await PrefixErrorAsync(code, o, ct) is { } failure) return failure;

            var digits = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(code.Split('.')[0])), 0) % 100_000_000;
            var pure = "138" + digits.ToString("D8", CultureInfo.InvariantCulture);
            return Results.Json(new JsonObject
            {
                ["errcode"] = 0,
                ["errmsg"] = "ok",
                ["phone_info"] = new JsonObject
                {
                    ["phoneNumber"] = pure,
                    ["purePhoneNumber"] = pure,
                    ["countryCode"] = "86",
                    ["watermark"] = new JsonObject
                    {
                        ["timestamp"] = time.GetUtcNow().ToUnixTimeSeconds(),
                        // "otherapp" codes come back stamped for another app, as a forged or misrouted code would.
                        ["appid"] = code.StartsWith("otherapp", StringComparison.Ordinal) ? "wx_other_app_id" : o.AppId,
                    },
                },
            });
        });

        app.MapPost("/wxa/getwxacodeunlimit", async (HttpRequest request, SandboxState state, TimeProvider time) =>
        {
            state.Record("wxa/getwxacodeunlimit");
            if (TokenError(request, state, time) is { } denied) return denied;
            // WeChat takes only JSON bodies here; a form post is "data format error".
            if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true) return Error(47001, "data format error");
            var body = await ReadJsonAsync(request);
            if (body is not JsonObject json) return Error(47001, "data format error");
            return WxaCode.Render(json);
        });

        // Subscription messages: each grant (what an accepted wx.requestSubscribeMessage gives) permits one send;
        // without one WeChat answers 43101. POST /sandbox/subscriptions/{openid}?templateId= grants one.
        app.MapPost("/cgi-bin/message/subscribe/send", async (HttpRequest request, SandboxState state, TimeProvider time) =>
        {
            state.Record("cgi-bin/message/subscribe/send");
            if (TokenError(request, state, time) is { } denied) return denied;
            if (await ReadJsonAsync(request) is not JsonObject body) return Error(47001, "data format error");
            var touser = body["touser"]?.ToString();
            var template = body["template_id"]?.ToString();
            if (string.IsNullOrEmpty(touser)) return Error(40003, "invalid openid");
            if (string.IsNullOrEmpty(template)) return Error(40037, "invalid template id");
            if (body["data"] is not JsonObject data || data.Any(f => f.Value is not JsonObject v || v["value"] is null)) return Error(47003, "argument invalid! data.value is empty");
            if (!state.TryUseSubscription(touser, template)) return Error(43101, "user refuse to accept the msg");
            state.RecordSubscribeMessage(touser, template, data.ToJsonString());
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" });
        });

        // The member accepts (or with ?accept=false rejects) the template in wx.requestSubscribeMessage's pop-up: an
        // accept permits one send, and WeChat pushes subscribe_msg_popup_event to the store either way.
        app.MapPost("/sandbox/subscriptions/{openId}", async (string openId, string templateId, bool? accept, SandboxState state, PushSender push, CancellationToken ct) =>
        {
            if (accept != false) state.GrantSubscription(openId, templateId);
            if (!push.Configured) return Results.NoContent();
            var (status, body) = await push.PushAsync(new JsonObject
            {
                ["FromUserName"] = openId,
                ["Event"] = "subscribe_msg_popup_event",
                ["List"] = new JsonObject
                {
                    ["TemplateId"] = templateId, ["SubscribeStatusString"] = accept == false ? "reject" : "accept", ["PopupScene"] = "0",
                },
            }, ct);
            return Results.Json(new { pushStatus = status, pushBody = body });
        });

        app.MapGet("/sandbox/messages", (SandboxState state) => Results.Json(new { messages = state.SubscribeMessages }));

        app.MapGet("/sandbox/stats", (SandboxState state) => Results.Json(new { calls = state.Calls }));
    }

    private static async Task<IResult?> PrefixErrorAsync(string code, SandboxOptions options, CancellationToken ct)
    {
        if (code.StartsWith("invalid", StringComparison.Ordinal)) return Error(40029, "invalid code");
        if (code.StartsWith("used", StringComparison.Ordinal)) return Error(40163, "code been used");
        if (code.StartsWith("ratelimit", StringComparison.Ordinal)) return Error(45011, "api minute-quota reach limit  mustslower  retry next minute");
        if (code.StartsWith("risky", StringComparison.Ordinal)) return Error(40226, "invalid user, high risk user");
        if (code.StartsWith("busy", StringComparison.Ordinal)) return Error(-1, "system error");
        if (code.StartsWith("http500", StringComparison.Ordinal)) return Results.StatusCode(500);
        if (code.StartsWith("slow", StringComparison.Ordinal))
        {
            await Task.Delay(options.SlowDelay, ct);
        }

        return null;
    }

    /// <summary>The access_token check every api.weixin.qq.com endpoint makes first: null when valid, else WeChat's answer.</summary>
    internal static IResult? TokenError(HttpRequest request, SandboxState state, TimeProvider time)
    {
        var check = state.CheckAccessToken(request.Query["access_token"], time.GetUtcNow());
        return check == 0 ? null : Error(check, check == 42001 ? "access_token expired" : "invalid credential, access_token is invalid or not latest");
    }

    internal static IResult Error(int code, string message) => Results.Json(new JsonObject { ["errcode"] = code, ["errmsg"] = message });

    internal static async Task<JsonNode?> ReadJsonAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
