using System.Globalization;

namespace WeStore.Application.Segments;

public static class SegmentQueues
{
    /// <summary>A member's facts changed (or may have): the one consumer updates the facts row and the segments.</summary>
    public const string MemberFacts = "member-facts";

    /// <summary>A new segment's back-fill: one facts partition's page at a time.</summary>
    public const string Backfill = "segment-backfill";

    /// <summary>A member's next flow step, delayed until it is due (at most 7 days at a time).</summary>
    public const string FlowSteps = "flow-steps";

    /// <summary>A broadcast's work: a page of its segment, a staff member's chunk to send, a task to follow.</summary>
    public const string Broadcasts = "broadcast-work";

    /// <summary>A contact's lifecycle tag to mirror with mark_tag.</summary>
    public const string WeComTags = "wecom-tags";

    /// <summary>Azure Queues hide a message for at most 7 days; longer waits go round again.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5);
}

public static class FactChanges
{
    public const string Joined = "joined";
    public const string Paid = "paid";
    public const string Coupons = "coupons";
    public const string Points = "points";

    /// <summary>Money went back: the points clawed back and a coupon perhaps returned.</summary>
    public const string Refunded = "refunded";
    public const string WecomAdded = "wecomAdded";
    public const string WecomLost = "wecomLost";
    public const string Followed = "followed";
    public const string Unfollowed = "unfollowed";

    /// <summary>Time alone may have changed a fact (the day index).</summary>
    public const string Due = "due";

    /// <summary>A back-fill found the member's membership of a new segment out of date.</summary>
    public const string Reevaluate = "reevaluate";
}

/// <summary>One change to a member's facts. <see cref="Key"/> identifies it across redeliveries.</summary>
public sealed record MemberFactsMessage(
    string OpenId, string Change, DateTimeOffset At, string? Ref = null, string? Province = null, long? AmountFen = null, string? StaffUserId = null, string? ExternalUserId = null)
{
    public string Key => $"{Change}|{At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}|{Ref ?? StaffUserId ?? string.Empty}";
}

public sealed record SegmentBackfillMessage(string SegmentId, int Partition, string? ContinuationToken);

public sealed record FlowStepMessage(string FlowId, string OpenId, string Occurrence, int Step, int Waits = 0);

public static class BroadcastWork
{
    public const string Page = "page";
    public const string Send = "send";
    public const string Follow = "follow";
}

public sealed record BroadcastWorkMessage(string BroadcastId, string Kind, int Page = 0, string? Staff = null, int Chunk = 0, string? ContinuationToken = null, int Attempt = 0);

public sealed record WeComTagMessage(string OpenId, string StaffUserId, string ExternalUserId, string Stage);
