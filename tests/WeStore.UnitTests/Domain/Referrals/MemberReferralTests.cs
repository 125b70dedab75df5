using WeStore.Domain.Referrals;

namespace WeStore.UnitTests.Domain.Referrals;

public sealed class MemberReferralTests
{
    private static readonly DateTimeOffset Joined = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);
    private static readonly ReferralRules Rules = new(TimeSpan.FromDays(30), TimeSpan.FromDays(10));

    [Fact]
    public void Judge_SelfOrSameUnionId_Refused()
    {
        var member = MemberReferral.New("me");
        Assert.Equal(BindOutcome.SelfReferral, member.Judge("me", "u1", "u1", Joined, Joined, Rules));
        Assert.Equal(BindOutcome.SameUnionId, member.Judge("other", "u1", "u1", Joined, Joined, Rules));
        Assert.Equal(BindOutcome.Bound, member.Judge("other", "u2", "u1", Joined, Joined, Rules));
        Assert.Equal(BindOutcome.Bound, member.Judge("other", null, null, Joined, Joined, Rules));
    }

    [Fact]
    public void Judge_JoinedBeforeBindWindow_TooLate()
        => Assert.Equal(BindOutcome.TooLate, MemberReferral.New("me").Judge("a", null, null, Joined, Joined.AddDays(30).AddSeconds(1), Rules));

    [Fact]
    public void Judge_SecondReferrer_ProtectedThenRebound()
    {
        var member = MemberReferral.New("me");
        member.Bind("a", "rf_a", ReferralVia.Scan, Joined);
        Assert.Equal(BindOutcome.Unchanged, member.Judge("a", null, null, Joined, Joined.AddDays(1), Rules));
        Assert.Equal(BindOutcome.Protected, member.Judge("b", null, null, Joined, Joined.AddDays(9), Rules));
        Assert.Equal(BindOutcome.Rebound, member.Judge("b", null, null, Joined, Joined.AddDays(11), Rules));
    }

    [Fact]
    public void Judge_AfterReward_Settled()
    {
        var member = MemberReferral.New("me");
        member.Bind("a", "rf_a", ReferralVia.Scan, Joined);
        Assert.True(member.Earn(new ReferralReward("WS1", 1000, null, 100, Joined.AddDays(9))));
        Assert.Equal(BindOutcome.Settled, member.Judge("b", null, null, Joined, Joined.AddDays(11), Rules));
        Assert.Throws<InvalidOperationException>(() => member.Bind("b", "rf_b", ReferralVia.Scan, Joined.AddDays(11)));
    }

    [Fact]
    public void Earn_OnceAndOnlyWithReferrer()
    {
        var unbound = MemberReferral.New("me");
        Assert.False(unbound.Earn(new ReferralReward("WS1", 1000, null, 100, Joined)));
        var member = MemberReferral.New("me");
        member.Bind("a", "rf_a", ReferralVia.Card, Joined);
        Assert.True(member.Earn(new ReferralReward("WS1", 1000, "c1", 100, Joined)));
        Assert.False(member.Earn(new ReferralReward("WS2", 1000, "c2", 100, Joined)));
        Assert.Equal("WS1", member.Reward!.OrderNo);
    }

    [Fact]
    public void ClawBack_OnlyTheRewardedOrder_Once()
    {
        var member = MemberReferral.New("me");
        member.Bind("a", "rf_a", ReferralVia.Card, Joined);
        member.Earn(new ReferralReward("WS1", 1000, "c1", 100, Joined));
        Assert.False(member.ClawBack("WS2", Joined, true, false, 100));
        Assert.True(member.ClawBack("WS1", Joined, couponWithdrawn: false, couponLoss: true, pointsTaken: 40));
        Assert.False(member.ClawBack("WS1", Joined, true, false, 100));
        Assert.Equal((RewardState.ClawedBack, true, 40L), (member.State, member.Reward!.CouponLoss, member.Reward.PointsTaken));
    }

    [Fact]
    public void Codes_NewAreValidUniqueAndReserved()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => ReferralCodes.New()).ToList();
        Assert.All(codes, c => Assert.True(ReferralCodes.IsReferral(c), c));
        Assert.All(codes, c => Assert.True(WeStore.Domain.Attribution.SceneRules.IsValid(c) && WeStore.Domain.WeCom.ContactWayRules.IsValidState(c), c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.False(ReferralCodes.IsReferral("rf_AAAAAAAAAAAAAAAA"));
        Assert.False(ReferralCodes.IsReferral("rf_aaaa"));
        Assert.False(ReferralCodes.IsReferral(null));
        Assert.True(ReferralCodes.IsReserved("rf_anything"));
    }
}
