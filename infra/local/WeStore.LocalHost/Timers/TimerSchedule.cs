using NCrontab;

namespace WeStore.LocalHost.Timers;

/// <summary>A 6-field NCRONTAB schedule (with seconds), evaluated in the host's time zone.</summary>
public sealed class TimerSchedule
{
    private readonly CrontabSchedule _schedule;
    private readonly TimeZoneInfo _zone;

    private TimerSchedule(CrontabSchedule schedule, TimeZoneInfo zone)
    {
        _schedule = schedule;
        _zone = zone;
    }

    public static TimerSchedule Parse(string expression, TimeZoneInfo zone)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields != 6)
        {
            throw new FunctionHostStartupException($"Timer schedule '{expression}' must have 6 fields (second minute hour day month day-of-week).");
        }

        var schedule = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new FunctionHostStartupException($"Timer schedule '{expression}' is not a valid NCRONTAB expression.");
        return new TimerSchedule(schedule, zone);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset GetNextOccurrence(DateTimeOffset after)
    {
        var local = TimeZoneInfo.ConvertTime(after, _zone).DateTime;
        var next = _schedule.GetNextOccurrence(local);
        var offset = _zone.GetUtcOffset(next);
        return new DateTimeOffset(next, offset).ToUniversalTime();
    }
}
