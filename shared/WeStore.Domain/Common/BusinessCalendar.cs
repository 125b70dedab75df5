using System.Globalization;

namespace WeStore.Domain.Common;

/// <summary>
/// Business days are Asia/Shanghai days. China has kept UTC+8 without daylight saving since 1991, so a fixed offset
/// gives the same answer as the time-zone database without depending on one being installed.
/// </summary>
public static class BusinessCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The day as a sortable key, e.g. 20261126.</summary>
    public static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string DayKey(DateTimeOffset instant) => DayKey(DayOf(instant));

    /// <summary>The first instant of the day in Shanghai.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);
}
