using WeStore.Domain.Segments;

namespace WeStore.Application.Segments;

/// <summary>Settings under <c>Segments:</c>.</summary>
public sealed class SegmentsOptions
{
    public const string Section = "Segments";

    public int LapsingDays { get; set; } = 60;

    public int ChurnedDays { get; set; } = 180;

    /// <summary>
    /// WeCom's per-customer cap on mass messages, as the corp set it in 群发助手: <c>month</c> (as many as the month has
    /// days, the default), <c>week</c> (7) or <c>day</c> (1) (https://developer.work.weixin.qq.com/document/path/92135).
    /// </summary>
    public string CustomerCap { get; set; } = "month";

    /// <summary>At most this many customers per add_msg_template call; WeCom's own limit is 10,000.</summary>
    public int BroadcastChunkSize { get; set; } = 10_000;

    /// <summary>Members read per page of a broadcast's segment.</summary>
    public int BroadcastPageSize { get; set; } = 100;

    /// <summary>The first look at a task's confirmation, then doubling, up to six hours, for three days.</summary>
    public int BroadcastFollowSeconds { get; set; } = 600;

    /// <summary>A flow step's claim: a copy finding a live claim leaves it to its holder.</summary>
    public int FlowStepLeaseSeconds { get; set; } = 120;

    /// <summary>
    /// The longest a step message waits before it looks again (at most the queue's 7 days). The local host sets a few
    /// seconds, since its clock can be moved on while the queue's invisibility runs on the wall clock.
    /// </summary>
    public int? MaxStepWaitSeconds { get; set; }

    public TimeSpan StepWaitCap => MaxStepWaitSeconds is { } s && s > 0 && TimeSpan.FromSeconds(s) < SegmentQueues.MaxDelay ? TimeSpan.FromSeconds(s) : SegmentQueues.MaxDelay;

    /// <summary>The corp tag group holding one tag per lifecycle stage.</summary>
    public string LifecycleTagGroup { get; set; } = "WeStore lifecycle";

    /// <summary>mark_tag calls per second per instance (WeCom limits the app's calls per minute).</summary>
    public int TagCallsPerSecond { get; set; } = 10;

    /// <summary>Segments and flows are re-read this often per instance.</summary>
    public int CatalogCacheSeconds { get; set; } = 10;

    public StageRules StageRules => new(Math.Clamp(LapsingDays, 1, 3650), Math.Clamp(ChurnedDays, Math.Clamp(LapsingDays, 1, 3650) + 1, 3660));
}

/// <summary>The period a message counts in, and how many WeCom lets one customer receive in it.</summary>
public static class CustomerCap
{
    public static (string Period, int Limit) At(string mode, DateTimeOffset now)
    {
        var local = now.ToOffset(WeStore.Domain.Common.BusinessCalendar.Offset);
        return mode switch
        {
            "day" => ("d" + local.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), 1),
            "week" => ("w" + System.Globalization.ISOWeek.GetYear(local.DateTime).ToString(System.Globalization.CultureInfo.InvariantCulture)
                + System.Globalization.ISOWeek.GetWeekOfYear(local.DateTime).ToString("D2", System.Globalization.CultureInfo.InvariantCulture), 7),
            _ => ("m" + local.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture), DateTime.DaysInMonth(local.Year, local.Month)),
        };
    }
}
