namespace WeStore.Application.Attribution;

public sealed class AttributionOptions
{
    public const string Section = "Attribution";

    /// <summary>How long a scan keeps credit for the member's orders.</summary>
    public int WindowDays { get; set; } = 7;

    public TimeSpan Window => TimeSpan.FromDays(Math.Clamp(WindowDays, 1, 90));

    /// <summary>How long an instance trusts its copy of a QR code (codes change only by being created).</summary>
    public int CodeCacheSeconds { get; set; } = 300;
}
