using WeStore.Domain.Loyalty;

namespace WeStore.Application.Loyalty;

public sealed class LoyaltyOptions
{
    public const string Section = "Loyalty";

    /// <summary>The expiry timer's schedule (NCRONTAB, UTC): 18:00 UTC is 02:00 in Shanghai.</summary>
    public const string ExpiryScheduleSetting = "Loyalty:ExpirySchedule";
    public const string DefaultExpirySchedule = "0 0 18 * * *";

    public int PointsPerYuan { get; set; } = 1;

    public int LotMonths { get; set; } = 12;

    public int FenPerPoint { get; set; } = 1;

    public int MaxShareOfOrderPercent { get; set; } = 50;

    /// <summary>Tiers by rolling 12-month paid spend; empty means the defaults (member, silver, gold).</summary>
    public List<TierOption> Tiers { get; set; } = [];

    /// <summary>Members get one reminder this many days before points expire.</summary>
    public int ReminderDays { get; set; } = 7;

    /// <summary>The subscription-message template for the reminder; no reminders are sent without one.</summary>
    public string? ReminderTemplateId { get; set; }

    public string ReminderPage { get; set; } = "pages/points/index";

    /// <summary>How many missed days one run catches up at most (a longer outage takes several runs).</summary>
    public int MaxCatchUpDays { get; set; } = 62;

    public LoyaltyRules ToRules() => new()
    {
        PointsPerYuan = Math.Clamp(PointsPerYuan, 0, 1000),
        LotMonths = Math.Clamp(LotMonths, 1, 120),
        FenPerPoint = Math.Clamp(FenPerPoint, 1, 10_000),
        MaxShareOfOrderPercent = Math.Clamp(MaxShareOfOrderPercent, 0, 100),
        Tiers = Tiers.Count == 0 ? LoyaltyRules.DefaultTiers : [.. Tiers.Select(t => new TierRule(t.Name, t.MinSpend, t.MultiplierPercent))],
    };
}

public sealed class TierOption
{
    public string Name { get; set; } = "member";

    public long MinSpend { get; set; }

    public int MultiplierPercent { get; set; } = 100;
}
