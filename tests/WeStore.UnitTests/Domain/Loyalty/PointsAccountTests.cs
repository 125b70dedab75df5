using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using WeStore.Domain.Loyalty;

namespace WeStore.UnitTests.Domain.Loyalty;

public sealed class PointsAccountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 10, 4, 0, 0, TimeSpan.Zero);
    private static readonly LoyaltyRules Rules = new();

    /// <summary>One step of a random history: earn, spend, release, expire, claw back, or time passing.</summary>
    private sealed record Step(int Kind, int Amount, int Pick);

    private static readonly Gen<Step> StepGen =
        from kind in Gen.Choose(0, 5) from amount in Gen.Choose(0, 300_000) from pick in Gen.Choose(0, 1000) select new Step(kind, amount, pick);

    [Property(MaxTest = 300)]
    public Property Balance_AlwaysEqualsLedgerSumAndLots_NeverNegative()
        => Prop.ForAll(StepGen.ListOf().Select(l => l.ToList()).ToArbitrary(), steps =>
        {
            var account = PointsAccount.Open("o1");
            var now = T0;
            var paid = new List<(string OrderNo, long Fen, DateTimeOffset At)>();
            var spends = new List<(string OrderNo, IReadOnlyList<LotTake> Takes)>();
            var n = 0;
            foreach (var step in steps)
            {
                n++;
                switch (step.Kind)
                {
                    case 0:
                        account.Earn("O" + n, step.Amount, now, Rules);
                        paid.Add(("O" + n, step.Amount, now));
                        break;
                    case 1 when account.AvailableAt(now) > 0:
                        var points = 1 + (step.Amount % account.AvailableAt(now));
                        spends.Add(("S" + n, account.Spend("S" + n, points, now)));
                        break;
                    case 2 when spends.Count > 0:
                        var spend = spends[step.Pick % spends.Count];
                        spends.Remove(spend);
                        account.Release(spend.OrderNo, spend.Takes, now);
                        break;
                    case 3:
                        var today = WeStore.Domain.Common.BusinessCalendar.DayOf(now).AddDays(-1);
                        account.ExpireDue(account.DueLotKeys(today).ToList(), today, now);
                        break;
                    case 4 when paid.Count > 0:
                        var order = paid[step.Pick % paid.Count];
                        account.ClawBack(order.OrderNo, "R" + n, step.Amount % 5000, order.Fen / 2, order.At, now);
                        break;
                    case 5:
                        now = now.AddDays(1 + (step.Amount % 200));
                        break;
                }

                if (account.Balance != account.NewEntries.Sum(e => e.Delta)) return false.Label($"ledger sum after step {n}");
                if (account.Balance != account.Lots.Sum(l => l.Remaining)) return false.Label($"lots sum after step {n}");
                if (account.Balance < 0 || account.Lots.Any(l => l.Remaining < 0)) return false.Label($"negative after step {n}");
                if (account.NewEntries.Count > 0 && account.NewEntries[^1].BalanceAfter != account.Balance) return false.Label($"balanceAfter after step {n}");
            }

            return true.ToProperty();
        });

    [Fact]
    public void Earn_OnePointPerYuan_TimesTier_LotExpiresTwelveMonthsLater()
    {
        var account = PointsAccount.Open("o1");
        Assert.Equal(123, account.Earn("A", 12_399, T0, Rules)); // 123.99 yuan → 123 points at the member tier
        var lot = Assert.Single(account.Lots);
        Assert.Equal(new DateOnly(2027, 1, 10), lot.ExpiresOn);

        account.Earn("B", 100_000, T0.AddDays(1), Rules);           // 1,000 yuan: silver from now on
        Assert.Equal("silver", account.Tier);
        Assert.Equal(120, account.Earn("C", 10_000, T0.AddDays(2), Rules)); // 100 yuan × 1.2
    }

    [Fact]
    public void Earn_SameOrderTwice_Once()
    {
        var account = PointsAccount.Open("o1");
        account.Earn("A", 10_000, T0, Rules);
        Assert.Equal(0, account.Earn("A", 10_000, T0, Rules));
        Assert.Equal(100, account.Balance);
    }

    [Fact]
    public void Spend_TakesLotsThatExpireFirst()
    {
        var account = PointsAccount.Open("o1");
        account.Earn("late", 50_000, T0.AddMonths(2), Rules);   // 500, expires later
        account.Earn("early", 30_000, T0, Rules);               // 300, expires first

        var takes = account.Spend("S1", 400, T0.AddMonths(3));

        Assert.Equal([new LotTake(account.LotFrom("early")!.Key, 300), new LotTake(account.LotFrom("late")!.Key, 100)], takes);
        Assert.Equal(0, account.LotFrom("early")!.Remaining);
        Assert.Equal(400, account.LotFrom("late")!.Remaining);
    }

    [Fact]
    public void Spend_SkipsLotsPastTheirDay_AndRefusesMoreThanAvailable()
    {
        var account = PointsAccount.Open("o1");
        account.Earn("old", 10_000, T0, Rules);
        account.Earn("new", 20_000, T0.AddMonths(6), Rules);
        var afterOldExpiry = T0.AddMonths(12).AddDays(2);

        Assert.Equal(200, account.AvailableAt(afterOldExpiry));
        Assert.Throws<PointsRuleException>(() => account.Spend("S", 201, afterOldExpiry));
        Assert.Equal(account.LotFrom("new")!.Key, Assert.Single(account.Spend("S", 150, afterOldExpiry)).LotKey);
    }

    [Fact]
    public void Release_ReturnsToLots_ExpiredShareExpiresAtOnce()
    {
        var account = PointsAccount.Open("o1");
        account.Earn("old", 10_000, T0, Rules);
        account.Earn("new", 20_000, T0.AddMonths(6), Rules);
        var takes = account.Spend("S", 250, T0.AddMonths(7));

        account.Release("S", takes, T0.AddMonths(12).AddDays(3)); // "old" is past its day by now

        Assert.Equal(200, account.LotFrom("new")!.Remaining);
        Assert.Equal(0, account.LotFrom("old")!.Remaining);
        Assert.Equal(200, account.Balance);
        Assert.Equal([LedgerKinds.Release, LedgerKinds.Expire], account.NewEntries.TakeLast(2).Select(e => e.Kind));
    }

    [Fact]
    public void ClawBack_AfterPartialSpend_TakesFromOrdersLotThenOthers_ShortfallRecorded()
    {
        var account = PointsAccount.Open("o1");
        account.Earn("A", 100_000, T0, Rules);                  // 1000 points
        account.Earn("B", 20_000, T0.AddDays(1), Rules);        // 240 points (silver)
        account.Spend("S", 900, T0.AddDays(2));                 // 900 from A (expires first)

        var taken = account.ClawBack("A", "R1", 1000, 100_000, T0, T0.AddDays(3));

        Assert.Equal(340, taken);                               // A's 100 left, then B's 240
        Assert.Equal(660, account.Shortfall);
        Assert.Equal(0, account.Balance);
        Assert.Equal(20_000, account.RollingSpend(T0.AddDays(3))); // the refunded spend no longer counts towards tiers
    }

    [Fact]
    public void ExpireDue_Twice_SecondChangesNothing()
    {
        var account = PointsAccount.Open("o1");
        account.Earn("A", 10_000, T0, Rules);
        var key = account.LotFrom("A")!.Key;
        var day = account.LotFrom("A")!.ExpiresOn;

        Assert.Equal(0, account.ExpireDue([key], day.AddDays(-1), T0.AddMonths(12)));
        Assert.Equal(100, account.ExpireDue([key], day, T0.AddMonths(12).AddDays(1)));
        var entries = account.NewEntries.Count;
        Assert.Equal(0, account.ExpireDue([key], day, T0.AddMonths(12).AddDays(2)));
        Assert.Equal(entries, account.NewEntries.Count);
        Assert.Equal(0, account.Balance);
    }

    [Theory]
    [InlineData(10_000, 5000)]     // half of 100 yuan, at 1 fen a point
    [InlineData(1, 0)]             // payable can never drop below 1 fen
    [InlineData(3, 1)]
    public void MaxPointsFor_HalfTheOrder(long payable, long expected) => Assert.Equal(expected, Rules.MaxPointsFor(payable));
}
