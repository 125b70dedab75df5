namespace WeStore.Application.GroupBuys;

/// <summary>Settings under <c>GroupBuys:</c>.</summary>
public sealed class GroupBuyOptions
{
    public const string Section = "GroupBuys";

    /// <summary>
    /// Caps a team's timeout delay (the message then finds the team early and waits again), so a demo or a test on a
    /// moved clock sees its deadline pass within seconds. Unset in production: one message at the deadline.
    /// </summary>
    public int? MaxWaitSeconds { get; set; }

    public TimeSpan Wait(TimeSpan wanted)
        => MaxWaitSeconds is { } cap && cap > 0 && wanted > TimeSpan.FromSeconds(cap) ? TimeSpan.FromSeconds(cap) : wanted < TimeSpan.Zero ? TimeSpan.Zero : wanted;
}
