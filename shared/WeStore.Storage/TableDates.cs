namespace WeStore.Storage;

/// <summary>Table storage cannot hold <see cref="DateTimeOffset.MinValue"/>; its earliest date stands for "none" or "never".</summary>
internal static class TableDates
{
    public static readonly DateTimeOffset Earliest = new(1601, 1, 2, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset AtLeastEarliest(DateTimeOffset value) => value < Earliest ? Earliest : value;
}
