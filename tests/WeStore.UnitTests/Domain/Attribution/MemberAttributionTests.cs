using WeStore.Domain.Attribution;

namespace WeStore.UnitTests.Domain.Attribution;

public sealed class MemberAttributionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);

    private static QrCode Code(string scene, string channel, string? staff = null, string? campaign = null)
        => QrCode.Create(scene, "code " + scene, channel, "src", "pages/index/index", campaign, staff, T0);

    [Fact]
    public void RecordScan_SecondChannel_FirstKeptLastMoves()
    {
        var a = MemberAttribution.New("o1");
        a.RecordScan(Code("a", "packaging"), 1047, T0, "20261120", Window, joinedThisSession: true);
        a.RecordScan(Code("b", "kol"), 1048, T0.AddHours(1), "20261120", Window, joinedThisSession: true);

        Assert.Equal("a", a.FirstTouch!.SceneId);
        Assert.Equal("b", a.LastTouch!.SceneId);
        Assert.Equal("a", a.Acquisition!.SceneId);
    }

    [Fact]
    public void RecordScan_AfterWindow_NewFirstTouch_AcquisitionStays()
    {
        var a = MemberAttribution.New("o1");
        a.RecordScan(Code("a", "packaging"), 1047, T0, "20261120", Window, false);
        a.RecordScan(Code("b", "kol"), 1047, T0.AddDays(8), "20261128", Window, false);

        Assert.Equal("b", a.FirstTouch!.SceneId);
        Assert.Equal("a", a.Acquisition!.SceneId);
    }

    [Fact]
    public void AttributionAt_OutsideWindow_None_Inside_BothTouches()
    {
        var a = MemberAttribution.New("o1");
        a.RecordScan(Code("a", "packaging"), 1047, T0, "20261120", Window, false);

        Assert.Equal("a", a.AttributionAt(T0.AddDays(7), Window).Last!.SceneId);
        Assert.True(a.AttributionAt(T0.AddDays(7).AddSeconds(1), Window).IsEmpty);
    }

    [Fact]
    public void RecordScan_VisitorsCountedOncePerDay_PerCodeChannelAndStaff()
    {
        var a = MemberAttribution.New("o1");
        var first = a.RecordScan(Code("a", "staff", "s1"), 1047, T0, "20261120", Window, false);
        var again = a.RecordScan(Code("a", "staff", "s1"), 1047, T0.AddMinutes(1), "20261120", Window, false);
        var sameChannel = a.RecordScan(Code("b", "staff", "s1"), 1047, T0.AddMinutes(2), "20261120", Window, false);
        var nextDay = a.RecordScan(Code("a", "staff", "s1"), 1047, T0.AddDays(1), "20261121", Window, false);

        Assert.Equal((true, true, true), (first.FirstVisitOfCodeToday, first.FirstVisitOfChannelToday, first.FirstVisitOfStaffToday));
        Assert.Equal((false, false, false), (again.FirstVisitOfCodeToday, again.FirstVisitOfChannelToday, again.FirstVisitOfStaffToday));
        Assert.Equal((true, false, false), (sameChannel.FirstVisitOfCodeToday, sameChannel.FirstVisitOfChannelToday, sameChannel.FirstVisitOfStaffToday));
        Assert.Equal((true, true, true), (nextDay.FirstVisitOfCodeToday, nextDay.FirstVisitOfChannelToday, nextDay.FirstVisitOfStaffToday));
    }

    [Fact]
    public void RecordScan_NewMember_OnlyOnFirstScanOfAJoiningSession()
    {
        var joined = MemberAttribution.New("o1");
        var old = MemberAttribution.New("o2");

        Assert.True(joined.RecordScan(Code("a", "ad"), 1047, T0, "20261120", Window, joinedThisSession: true).NewMember);
        Assert.False(joined.RecordScan(Code("b", "ad"), 1047, T0, "20261120", Window, joinedThisSession: true).NewMember);
        Assert.False(old.RecordScan(Code("a", "ad"), 1047, T0, "20261120", Window, joinedThisSession: false).NewMember);
    }

    [Fact]
    public void RecordScan_CampaignCode_IssuesOnce_AndStateIsBounded()
    {
        var a = MemberAttribution.New("o1");
        Assert.Equal("c1", a.RecordScan(Code("a", "event", campaign: "c1"), 1047, T0, "20261120", Window, false).CouponCampaignToIssue);
        Assert.Null(a.RecordScan(Code("a", "event", campaign: "c1"), 1047, T0, "20261120", Window, false).CouponCampaignToIssue);

        for (var i = 0; i < 500; i++) a.RecordScan(Code("s" + i, "shelf", campaign: "k" + i), 1047, T0, "20261120", Window, false);

        Assert.Equal(MemberAttribution.MaxVisitsPerDay, a.VisitedScenes.Count);
        Assert.Equal(MemberAttribution.MaxScanCampaigns, a.ScanCampaigns.Count);
    }

    [Fact]
    public void RecordScan_LateArrivingOlderScan_DoesNotMoveLastTouchBack()
    {
        var a = MemberAttribution.New("o1");
        a.RecordScan(Code("b", "kol"), 1047, T0.AddHours(1), "20261120", Window, false);
        a.RecordScan(Code("a", "shelf"), 1047, T0, "20261120", Window, false);
        Assert.Equal("b", a.LastTouch!.SceneId);
    }

    [Fact]
    public void AttributionAt_ScansAfterPlacement_OrderKeepsTheJourneyAsItStoodThen()
    {
        var a = MemberAttribution.New("o1");
        a.RecordScan(Code("a", "packaging"), 1047, T0, "20261120", Window, false);
        a.RecordScan(Code("b", "kol"), 1047, T0.AddHours(1), "20261120", Window, false);
        var placedAt = T0.AddHours(2);
        a.RecordScan(Code("c", "live"), 1047, T0.AddHours(3), "20261120", Window, false);
        a.RecordScan(Code("d", "ad"), 1047, T0.AddDays(9), "20261129", Window, false); // a new journey

        var copy = a.AttributionAt(placedAt, Window);

        Assert.Equal(("a", "b"), (copy.First!.SceneId, copy.Last!.SceneId));
        var firstOutOfWindow = a.AttributionAt(T0.AddDays(7).AddHours(2), Window); // "a" is over 7 days old by then, "c" is not
        Assert.Equal(("c", "c"), (firstOutOfWindow.First!.SceneId, firstOutOfWindow.Last!.SceneId));
        Assert.True(a.AttributionAt(T0.AddDays(8), Window).IsEmpty);
        Assert.True(a.AttributionAt(T0.AddSeconds(-1), Window).IsEmpty); // placed before the first scan
        var newJourney = a.AttributionAt(T0.AddDays(9), Window);
        Assert.Equal(("d", "d"), (newJourney.First!.SceneId, newJourney.Last!.SceneId));
    }

    [Fact]
    public void RecordScan_ManyScans_JourneyBounded_NewestKept()
    {
        var a = MemberAttribution.New("o1");
        for (var i = 0; i < 50; i++) a.RecordScan(Code("s" + i, "shelf"), 1047, T0.AddMinutes(i), "20261120", Window, false);

        Assert.Equal(MemberAttribution.MaxJourneySteps, a.Journey.Count);
        Assert.Equal("s49", a.Journey[^1].Touch.SceneId);
        Assert.Equal("s0", a.Journey[^1].JourneyFirst.SceneId);
        Assert.Equal("s40", a.AttributionAt(T0.AddMinutes(40).AddSeconds(30), Window).Last!.SceneId);
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("a!$'()*+,:;=@-._~z", true)]
    [InlineData("12345678901234567890123456789012", true)]
    [InlineData("123456789012345678901234567890123", false)]
    [InlineData("a/b", false)]
    [InlineData("a?b", false)]
    [InlineData("a#b", false)]
    [InlineData("a&b", false)]
    [InlineData("a%b", false)]
    [InlineData("a b", false)]
    [InlineData("é", false)]
    [InlineData("", false)]
    public void SceneRules_IsValid(string scene, bool valid) => Assert.Equal(valid, SceneRules.IsValid(scene));
}
