using WeStore.Domain.Common;

namespace WeStore.Domain.Loyalty;

/// <summary>A tier: reached at <paramref name="MinSpend"/> fen paid over the rolling 12 months; earns at its multiplier.</summary>
public sealed record TierRule(string Name, long MinSpend, int MultiplierPercent);

/// <summary>How points are earned, spent and kept. Integer arithmetic throughout: points and fen are whole numbers.</summary>
public sealed record LoyaltyRules
{
    public static readonly IReadOnlyList<TierRule> DefaultTiers =
    [
        new("member", 0, 100),
        new("silver", 100_000, 120),   // 1,000 yuan a year
        new("gold", 500_000, 150),     // 5,000 yuan a year
    ];

    /// <summary>Points per whole yuan paid, before the tier multiplier.</summary>
    public int PointsPerYuan { get; init; } = 1;

    /// <summary>A lot expires at the end of the Shanghai day this many months after it was granted.</summary>
    public int LotMonths { get; init; } = 12;

    /// <summary>What one point takes off an order, in fen (1: 100 points are 1 yuan).</summary>
    public int FenPerPoint { get; init; } = 1;

    /// <summary>The largest share of an order (after its coupon) points may pay for.</summary>
    public int MaxShareOfOrderPercent { get; init; } = 50;

    public IReadOnlyList<TierRule> Tiers { get; init; } = DefaultTiers;

    public TierRule TierFor(long rollingSpend)
        => Tiers.Where(t => rollingSpend >= t.MinSpend).OrderByDescending(t => t.MinSpend).FirstOrDefault() ?? new TierRule("member", 0, 100);

    /// <summary>Points for a payment: whole yuan × rate × multiplier, rounded down.</summary>
    public long PointsFor(long paidFen, TierRule tier) => paidFen <= 0 ? 0 : checked(paidFen / 100 * PointsPerYuan * tier.MultiplierPercent / 100);

    public DateOnly ExpiryFor(DateTimeOffset grantedAt) => BusinessCalendar.DayOf(grantedAt).AddMonths(LotMonths);

    /// <summary>The most points an order of <paramref name="payableBeforePoints"/> fen may use (payable never below 1 fen).</summary>
    public long MaxPointsFor(long payableBeforePoints)
        => Math.Max(0, Math.Min(payableBeforePoints * MaxShareOfOrderPercent / 100, payableBeforePoints - 1) / FenPerPoint);
}
