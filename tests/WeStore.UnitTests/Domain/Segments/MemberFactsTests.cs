using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using WeStore.Domain.Segments;

namespace WeStore.UnitTests.Domain.Segments;

public sealed class MemberFactsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);
    private static readonly StageRules Rules = new();

    private static SegmentDefinition Segment(string id, params SegmentRule[] rules) => new(id, id, rules, Now);

    [Fact]
    public void RecordPaid_SameOrderTwice_CountedOnce()
    {
        var f = MemberFacts.New("o1");
        Assert.True(f.RecordPaid("N1", Now, "浙江省"));
        Assert.False(f.RecordPaid("N1", Now, "浙江省"));
        Assert.Equal(1, f.PaidOrderCount);
        Assert.Equal(Stages.FirstPurchase, f.StageAt(Now, Rules));
    }

    [Fact]
    public void RecordPaid_OlderOrderLater_ProvinceAndLastPaidFollowTheLatest()
    {
        var f = MemberFacts.New("o1");
        f.RecordPaid("N2", Now, "浙江省");
        f.RecordPaid("N1", Now.AddDays(-3), "广东省");
        Assert.Equal("浙江省", f.Province);
        Assert.Equal(Now, f.LastPaidAt);
        Assert.Equal(Now.AddDays(-3), f.FirstPaidAt);
        Assert.Equal(Stages.Repeat, f.StageAt(Now, Rules));
    }

    [Fact]
    public void SetWeCom_OlderLossAfterNewerAdd_Ignored()
    {
        var f = MemberFacts.New("o1");
        Assert.True(f.SetWeCom("staff.li", "wm1", true, Now));
        Assert.False(f.SetWeCom("staff.li", "wm1", false, Now.AddMinutes(-1)));
        Assert.True(f.WecomLinked);
        Assert.True(f.SetWeCom("staff.li", "wm1", false, Now.AddMinutes(1)));
        Assert.False(f.WecomLinked);
    }

    [Fact]
    public void SetWeCom_LossOfAnotherStaffMembersRelation_KeepsTheLiveOne()
    {
        var f = MemberFacts.New("o1");
        f.SetWeCom("staff.wang", "wm1", true, Now);
        Assert.False(f.SetWeCom("staff.li", "wm1", false, Now.AddMinutes(1)));
        Assert.Equal("staff.wang", f.WecomStaff);
    }

    [Fact]
    public void UnusedCoupons_PastTheirEnd_NotCounted_AndTheEndIsWhenFactsChange()
    {
        var f = MemberFacts.New("o1");
        f.SetCoupons(new Dictionary<string, DateTimeOffset> { ["c1"] = Now.AddDays(2), ["c2"] = Now.AddDays(9) });
        Assert.Equal(2, f.UnusedCouponsAt(Now));
        Assert.Equal(1, f.UnusedCouponsAt(Now.AddDays(3)));
        Assert.Equal(Now.AddDays(2).AddSeconds(1), f.NextTimeChange(Now, Rules, []));
    }

    [Fact]
    public void Spend12m_MonthsLeaveTheWindow()
    {
        var f = MemberFacts.New("o1");
        f.SetPoints(10, "member", new Dictionary<string, long> { ["202601"] = 500, ["202612"] = 700 });
        Assert.Equal(1200, f.Spend12mAt(Now));
        Assert.Equal(700, f.Spend12mAt(Now.AddMonths(1)));
    }

    [Fact]
    public void Reevaluate_ChangedSegmentsPending_EnteredReported()
    {
        var buyers = Segment("s1", new SegmentRule(Facts.PaidOrderCount, RuleOps.Gte, Number: 1));
        var f = MemberFacts.New("o1");
        f.Join(Now);
        Assert.Empty(f.Reevaluate([buyers], Now, Rules));
        Assert.Empty(f.Pending);
        f.RecordPaid("N1", Now, null);
        Assert.Equal(["s1"], f.Reevaluate([buyers], Now, Rules));
        Assert.Equal(["s1"], f.Pending);
        f.ClearPending(["s1"]);
        Assert.Empty(f.Reevaluate([buyers], Now, Rules));
    }

    [Fact]
    public void Enter_SameOccurrenceTwice_KeptOnce_CreditedWithinAWeek()
    {
        var f = MemberFacts.New("o1");
        f.Enter(new MemberEntry(MemberEntry.Flow, "fl1", "joined", "k1", Now), Now);
        f.Enter(new MemberEntry(MemberEntry.Flow, "fl1", "joined", "k1", Now), Now);
        Assert.Single(f.Entries);
        Assert.Single(f.EntriesCreditedBy(Now.AddDays(6)));
        Assert.Empty(f.EntriesCreditedBy(Now.AddDays(8)));
    }

    private static readonly SegmentDefinition[] Catalogue =
    [
        Segment("buyers", new SegmentRule(Facts.PaidOrderCount, RuleOps.Gte, Number: 1)),
        Segment("recent", new SegmentRule(Facts.LastPaidAt, RuleOps.WithinDays, Number: 10)),
        Segment("lapsing", new SegmentRule(Facts.Stage, RuleOps.Eq, Text: Stages.Lapsing)),
        Segment("zj-wecom", new SegmentRule(Facts.Province, RuleOps.Eq, Text: "浙江省"), new SegmentRule(Facts.WecomLinked, RuleOps.Eq, Flag: true)),
        Segment("not-following", new SegmentRule(Facts.OaFollower, RuleOps.Ne, Flag: true)),
        Segment("couponed", new SegmentRule(Facts.UnusedCoupons, RuleOps.Gte, Number: 1)),
    ];

    /// <summary>
    /// After any sequence of events and of time passing, where each step re-evaluates only when the facts or the
    /// due day say so, the membership the facts hold equals evaluating every rule from scratch.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Reevaluate_AnyEventsAndTime_EqualsFromScratch()
        => Prop.ForAll(Gen.ListOf(Gen.Choose(0, 8).Zip(Gen.Choose(0, 40))).ToArbitrary(), steps =>
        {
            var f = MemberFacts.New("o1");
            var now = Now;
            f.Join(now);
            f.Reevaluate(Catalogue, now, Rules);
            var due = f.NextTimeChange(now, Rules, Catalogue);
            var order = 0;
            foreach (var (kind, amount) in steps)
            {
                now = now.AddDays(kind == 8 ? amount : 0).AddHours(1);
                var changed = kind switch
                {
                    0 => f.RecordPaid("N" + order++, now, amount % 2 == 0 ? "浙江省" : "广东省"),
                    1 => f.SetWeCom("staff.li", "wm1", true, now),
                    2 => f.SetWeCom("staff.li", "wm1", false, now),
                    3 => f.SetFollower(true, now),
                    4 => f.SetFollower(false, now),
                    5 => f.SetCoupons(new Dictionary<string, DateTimeOffset> { ["c" + amount] = now.AddDays(amount % 5) }),
                    6 => f.SetCoupons(new Dictionary<string, DateTimeOffset>()),
                    _ => false,
                };
                // The product re-evaluates on an event, or when the day index says time changed something.
                if (changed || (due is { } d && d <= now))
                {
                    f.Reevaluate(Catalogue, now, Rules);
                    due = f.NextTimeChange(now, Rules, Catalogue);
                }
            }

            var values = f.ValuesAt(now, Rules);
            return Catalogue.All(s => s.Matches(values, now) == f.Segments.ContainsKey(s.Id));
        });
}
