using System.Text.Json.Serialization;
using WeStore.WeChat.MiniProgram;

namespace WeStore.WeChat.WeCom;

/// <summary>
/// <c>POST /cgi-bin/externalcontact/add_msg_template</c>: a mass-send task for one staff member to confirm
/// (https://developer.work.weixin.qq.com/document/path/92135). Single chat: at most 10,000 external_userids per call;
/// text ≤4000 bytes; at most 9 attachments. WeCom delivers to each customer at most its per-customer cap (now the
/// days in the month, or 7 a week, or 1 a day, as the corp sets it) and drops the rest without an error.
/// </summary>
public sealed class ExternalContactAddMsgTemplateRequest
{
    public const string Path = "cgi-bin/externalcontact/add_msg_template";

    public const int MaxExternalUserIds = 10_000;

    [JsonPropertyName("chat_type")]
    public string ChatType { get; init; } = "single";

    [JsonPropertyName("external_userid")]
    public required IReadOnlyList<string> ExternalUserIds { get; init; }

    [JsonPropertyName("sender")]
    public required string Sender { get; init; }

    [JsonPropertyName("text")]
    public WelcomeText? Text { get; init; }

    [JsonPropertyName("attachments")]
    public IReadOnlyList<WelcomeAttachment>? Attachments { get; init; }

    public override string ToString() => $"ExternalContactAddMsgTemplateRequest(recipients={ExternalUserIds.Count}, attachments={Attachments?.Count ?? 0})";
}

public sealed class ExternalContactAddMsgTemplateResponse : WeChatResponse
{
    [JsonPropertyName("fail_list")]
    public IReadOnlyList<string>? FailList { get; set; }

    [JsonPropertyName("msgid")]
    public string? MsgId { get; set; }
}

/// <summary><c>POST /cgi-bin/externalcontact/get_groupmsg_task</c>: per staff member, whether they confirmed the send (status 0 unsent, 2 sent).</summary>
public sealed class ExternalContactGetGroupMsgTaskRequest
{
    public const string Path = "cgi-bin/externalcontact/get_groupmsg_task";

    [JsonPropertyName("msgid")]
    public required string MsgId { get; init; }

    [JsonPropertyName("limit")]
    public int Limit { get; init; } = 1000;

    [JsonPropertyName("cursor")]
    public string? Cursor { get; init; }
}

public sealed class ExternalContactGetGroupMsgTaskResponse : WeChatResponse
{
    [JsonPropertyName("next_cursor")]
    public string? NextCursor { get; set; }

    [JsonPropertyName("task_list")]
    public IReadOnlyList<GroupMsgTask>? TaskList { get; set; }
}

public sealed class GroupMsgTask
{
    public const int Unsent = 0;
    public const int Sent = 2;

    [JsonPropertyName("userid")]
    public string? UserId { get; set; }

    [JsonPropertyName("status")]
    public int Status { get; set; }

    [JsonPropertyName("send_time")]
    public long? SendTime { get; set; }
}

/// <summary>
/// <c>POST /cgi-bin/externalcontact/get_groupmsg_send_result</c>: per customer of one staff member's task. Status 0
/// unsent, 1 sent, 2 not a friend (any more), 3 already received another mass message (the cap).
/// </summary>
public sealed class ExternalContactGetGroupMsgSendResultRequest
{
    public const string Path = "cgi-bin/externalcontact/get_groupmsg_send_result";

    [JsonPropertyName("msgid")]
    public required string MsgId { get; init; }

    [JsonPropertyName("userid")]
    public required string UserId { get; init; }

    [JsonPropertyName("limit")]
    public int Limit { get; init; } = 1000;

    [JsonPropertyName("cursor")]
    public string? Cursor { get; init; }
}

public sealed class ExternalContactGetGroupMsgSendResultResponse : WeChatResponse
{
    [JsonPropertyName("next_cursor")]
    public string? NextCursor { get; set; }

    [JsonPropertyName("send_list")]
    public IReadOnlyList<GroupMsgSendResult>? SendList { get; set; }
}

public sealed class GroupMsgSendResult
{
    public const int Unsent = 0;
    public const int Sent = 1;
    public const int NotFriend = 2;
    public const int AlreadyReceived = 3;

    [JsonPropertyName("external_userid")]
    public string? ExternalUserId { get; set; }

    [JsonPropertyName("userid")]
    public string? UserId { get; set; }

    [JsonPropertyName("status")]
    public int Status { get; set; }

    [JsonPropertyName("send_time")]
    public long? SendTime { get; set; }
}
