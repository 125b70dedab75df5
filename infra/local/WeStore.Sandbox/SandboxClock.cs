namespace WeStore.Sandbox;

/// <summary>
/// The sandbox's clock: the system clock, moved on by <c>POST /sandbox/clock?advanceHours=N</c> when the store's clock
/// is (the demo's days pass), so WeChat Pay's signature windows, token lifetimes and push timestamps still agree.
/// </summary>
public sealed class SandboxClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    public static void Map(WebApplication app)
        => app.MapPost("/sandbox/clock", (double? advanceHours, SandboxClock clock) =>
        {
            if (advanceHours is not { } hours || hours is < 0 or > 24 * 1000) return Results.BadRequest(new { error = "advanceHours is 0 to 24000" });
            clock.Advance(TimeSpan.FromHours(hours));
            return Results.Json(new { now = clock.GetUtcNow(), offsetHours = clock.Offset.TotalHours });
        });
}
