using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace WeStore.Sandbox;

/// <summary>
/// WeCom's mass messages as the store sees them (https://developer.work.weixin.qq.com/document/path/92135, 93338):
/// <list type="bullet">
/// <item><c>add_msg_template</c> (single chat): 1 to 10,000 external_userids, a sender, text ≤4000 bytes and/or at
/// most 9 attachments (40058 otherwise); customers who are not the sender's friends come back in <c>fail_list</c>;</item>
/// <item>the sender confirms the task (<c>POST /sandbox/wecom/groupmsg/confirm</c>, or <c>Sandbox:WeComAutoConfirm</c>);
/// only then does each customer receive it, or not: WeCom's per-customer cap (<c>Sandbox:WeComCustomerCap</c>) is
/// enforced as WeCom does, silently, as status 3;</item>
/// <item><c>get_groupmsg_task</c> (0 unsent, 2 sent) and <c>get_groupmsg_send_result</c> (0 unsent, 1 sent, 2 not a
/// friend, 3 already received), paged by <c>limit</c> ≤1000 and <c>cursor</c>.</item>
/// </list>
/// </summary>
internal static partial class WeComApi
{
    private static void MapGroupMessages(WebApplication app)
    {
        Post(app, "externalcontact/add_msg_template", (body, state, o, now) =>
        {
            if ((body["chat_type"]?.ToString() ?? "single") != "single") return MiniProgramApi.Error(40058, "only single chat_type is imitated");
            var ids = (body["external_userid"] as JsonArray)?.Select(t => t?.ToString() ?? string.Empty).ToList() ?? [];
            var sender = body["sender"]?.ToString();
            var text = body["text"]?["content"]?.ToString() ?? string.Empty;
            var attachments = (body["attachments"] as JsonArray)?.Count ?? 0;
            if (ids.Count is 0 or > 10_000 || ids.Any(string.IsNullOrEmpty)) return MiniProgramApi.Error(40058, "external_userid must hold 1 to 10000 ids");
            if (string.IsNullOrEmpty(sender)) return MiniProgramApi.Error(40058, "sender is required here");
            if (text.Length == 0 && attachments == 0) return MiniProgramApi.Error(40058, "text or attachments required");
            if (Encoding.UTF8.GetByteCount(text) > 4000) return MiniProgramApi.Error(40058, "text.content exceeds 4000 bytes");
            if (attachments > 9) return MiniProgramApi.Error(40058, "at most 9 attachments");
            if (state.NextFault("add_msg_template") is var fault and not 0) return MiniProgramApi.Error(fault, "fault injected");
            var friends = ids.Distinct(StringComparer.Ordinal).Where(id => state.Relations.TryGetValue((sender, id), out var live) && live).ToList();
            var fails = ids.Distinct(StringComparer.Ordinal).Except(friends, StringComparer.Ordinal).ToList();
            var msgId = "msg" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
            var message = new SandboxGroupMessage(msgId, sender, friends, text, attachments, now);
            foreach (var id in friends) message.Results[id] = 0;
            state.GroupMessages[msgId] = message;
            if (o.WeComAutoConfirm) Confirm(message, state, o, now);
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["fail_list"] = new JsonArray([.. fails.Select(f => (JsonNode)f)]), ["msgid"] = msgId });
        });

        Post(app, "externalcontact/get_groupmsg_task", (body, state, o, now) =>
        {
            if (body["msgid"]?.ToString() is not { } id || !state.GroupMessages.TryGetValue(id, out var m)) return MiniProgramApi.Error(40058, "invalid msgid");
            var task = new JsonObject { ["userid"] = m.Sender, ["status"] = m.SentAt is null ? 0 : 2 };
            if (m.SentAt is { } sent) task["send_time"] = sent.ToUnixTimeSeconds();
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["next_cursor"] = string.Empty, ["task_list"] = new JsonArray(task) });
        });

        Post(app, "externalcontact/get_groupmsg_send_result", (body, state, o, now) =>
        {
            if (body["msgid"]?.ToString() is not { } id || !state.GroupMessages.TryGetValue(id, out var m)) return MiniProgramApi.Error(40058, "invalid msgid");
            if (body["userid"]?.ToString() != m.Sender) return MiniProgramApi.Error(40058, "userid has no task in this msgid");
            var limit = Math.Clamp(Int(body, "limit") ?? 500, 1, 1000);
            var skip = int.TryParse(body["cursor"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 0;
            var page = m.ExternalUserIds.Skip(skip).Take(limit).ToList();
            var list = new JsonArray([.. page.Select(e =>
            {
                var row = new JsonObject { ["external_userid"] = e, ["chat_id"] = string.Empty, ["userid"] = m.Sender, ["status"] = m.Results.GetValueOrDefault(e) };
                if (m.SentAt is { } sent && m.Results.GetValueOrDefault(e) == 1) row["send_time"] = sent.ToUnixTimeSeconds();
                return (JsonNode)row;
            })]);
            var answer = new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["send_list"] = list };
            answer["next_cursor"] = skip + page.Count < m.ExternalUserIds.Count ? (skip + page.Count).ToString(CultureInfo.InvariantCulture) : string.Empty;
            return Results.Json(answer);
        });

        // The staff member confirms their pending tasks (one msgid, or all of one sender's, or all).
        app.MapPost("/sandbox/wecom/groupmsg/confirm", (string? msgid, string? userid, WeComState state, IOptions<SandboxOptions> options, TimeProvider time) =>
        {
            var confirmed = 0;
            foreach (var m in state.GroupMessages.Values.Where(m => m.SentAt is null && (msgid is null || m.MsgId == msgid) && (userid is null || m.Sender == userid)).OrderBy(m => m.CreatedAt))
            {
                Confirm(m, state, options.Value, time.GetUtcNow());
                confirmed++;
            }

            return Results.Json(new { confirmed });
        });

        app.MapGet("/sandbox/wecom/groupmsg", (WeComState state) => Results.Json(new
        {
            messages = state.GroupMessages.Values.OrderBy(m => m.CreatedAt).Select(m => new
            {
                msgid = m.MsgId, sender = m.Sender, text = m.Text, attachments = m.Attachments, recipients = m.ExternalUserIds.Count, sent = m.SentAt is not null,
                results = m.Results.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal),
            }),
        }));
    }

    /// <summary>What WeCom does once the sender confirms: each customer still a friend and under the cap receives it.</summary>
    private static void Confirm(SandboxGroupMessage m, WeComState state, SandboxOptions o, DateTimeOffset now)
    {
        lock (m)
        {
            if (m.SentAt is not null) return;
            var local = now.ToOffset(TimeSpan.FromHours(8));
            var (period, limit) = o.WeComCustomerCap switch
            {
                "day" => (local.ToString("yyyyMMdd", CultureInfo.InvariantCulture), 1),
                "week" => (ISOWeek.GetYear(local.DateTime) + "w" + ISOWeek.GetWeekOfYear(local.DateTime), 7),
                _ => (local.ToString("yyyyMM", CultureInfo.InvariantCulture), DateTime.DaysInMonth(local.Year, local.Month)),
            };
            foreach (var id in m.ExternalUserIds)
            {
                if (!state.Relations.TryGetValue((m.Sender, id), out var live) || !live)
                {
                    m.Results[id] = 2;
                    continue;
                }

                var received = state.Received.AddOrUpdate((id, period), 1, (_, n) => n + 1);
                if (received > limit)
                {
                    state.Received.AddOrUpdate((id, period), 0, (_, n) => n - 1);
                    m.Results[id] = 3;
                }
                else
                {
                    m.Results[id] = 1;
                }
            }

            m.SentAt = now;
        }
    }
}
