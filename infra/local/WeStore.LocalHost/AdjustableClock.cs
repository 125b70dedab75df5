namespace WeStore.LocalHost;

/// <summary>
/// The system clock moved by an offset that the demo (and tests) can move further while the app runs, with
/// <c>POST /admin/clock?advanceHours=N</c>. Local host only; the host's own machinery (timers, queue polling and
/// visibility) keeps the wall clock, so what waits on the app's clock must look again (a flow step re-checks when due).
/// </summary>
public sealed class AdjustableClock(TimeSpan offset) : TimeProvider
{
    private long _offsetTicks = offset.Ticks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
