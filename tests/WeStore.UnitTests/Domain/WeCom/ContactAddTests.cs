using WeStore.Domain.Attribution;
using WeStore.Domain.WeCom;

namespace WeStore.UnitTests.Domain.WeCom;

public sealed class ContactAddTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private static ContactAdd Add(string? code = "wc1", string holder = "a") => ContactAdd.Receive("wmExternal1", "staff.li", Now.ToUnixTimeSeconds(), "cwabc", code, holder, Now, Lease);

    [Fact]
    public void Receive_WithCode_WelcomePendingAndLeased()
    {
        var add = Add();
        Assert.Equal(WelcomeStatus.Pending, add.Welcome);
        Assert.Equal("a", add.LeaseHolder);
        Assert.Equal(Now + ContactAdd.WelcomeWindow, add.WelcomeDeadline);
    }

    [Fact]
    public void Receive_WithoutCode_NotOffered() => Assert.Equal(WelcomeStatus.NotOffered, Add(code: null).Welcome);

    [Theory]
    [InlineData("bad id")]
    [InlineData("")]
    [InlineData("wm/evil")]
    public void Receive_BadExternalUserId_Refused(string id)
        => Assert.Throws<ArgumentException>(() => ContactAdd.Receive(id, "staff.li", 1, null, null, "a", Now, Lease));

    [Fact]
    public void TryTakeOver_LiveForeignLease_Refused() => Assert.False(Add(holder: "a").TryTakeOver("b", Now + TimeSpan.FromSeconds(5), Lease));

    [Fact]
    public void TryTakeOver_ExpiredLease_Taken()
    {
        var add = Add(holder: "a");
        Assert.True(add.TryTakeOver("b", Now + TimeSpan.FromSeconds(16), Lease));
        Assert.Equal("b", add.LeaseHolder);
    }

    [Fact]
    public void TryTakeOver_Completed_Refused()
    {
        var add = Add();
        add.RecordWelcome(WelcomeStatus.Sent, Now);
        add.Complete();
        Assert.False(add.TryTakeOver("a", Now + TimeSpan.FromHours(1), Lease));
    }

    [Fact]
    public void RecordWelcome_Twice_Refused()
    {
        var add = Add();
        add.RecordWelcome(WelcomeStatus.Sent, Now);
        Assert.Null(add.WelcomeCode);
        Assert.Throws<InvalidOperationException>(() => add.RecordWelcome(WelcomeStatus.AlreadySent, Now));
    }

    [Fact]
    public void Complete_WelcomePending_Refused() => Assert.Throws<InvalidOperationException>(() => Add().Complete());

    [Fact]
    public void WelcomeExpired_After20Seconds_True()
    {
        var add = Add();
        Assert.False(add.WelcomeExpired(Now + TimeSpan.FromSeconds(20)));
        Assert.True(add.WelcomeExpired(Now + TimeSpan.FromSeconds(21)));
    }

    [Fact]
    public void RelationLose_ThenOlderAdd_StaysLost()
    {
        var relation = WeComRelation.Added("wm1", "staff.li", "cwabc", "packaging", "u1", Now);
        Assert.True(relation.Lose(Now + TimeSpan.FromMinutes(1)));
        Assert.False(relation.Lose(Now + TimeSpan.FromMinutes(2)));
        Assert.False(relation.ApplyAdd("cwabc", "packaging", "u1", Now + TimeSpan.FromSeconds(30)));
        Assert.Equal(RelationStatus.Lost, relation.Status);
        Assert.True(relation.ApplyAdd("cwxyz", "shelf", null, Now + TimeSpan.FromMinutes(3)));
        Assert.Equal(RelationStatus.Active, relation.Status);
        Assert.Equal("u1", relation.UnionId);
    }

    [Fact]
    public void RelationAddTag_Twice_Once()
    {
        var relation = WeComRelation.Added("wm1", "staff.li", null, Channels.Unknown, null, Now);
        Assert.True(relation.AddTag("et1"));
        Assert.False(relation.AddTag("et1"));
        Assert.Single(relation.Tags);
    }

    [Fact]
    public void ContactWay_Activate_ThenDelete_ThenDeleteAgainRefused()
    {
        var way = ContactWay.Create("cwabc", "包装码", "packaging", ["staff.li"], null, new WelcomeMessage("欢迎", null, null), true, Now);
        Assert.Equal(ContactWayStatus.Pending, way.Status);
        way.Activate("cfg1", "https://qr");
        Assert.Throws<InvalidOperationException>(() => way.Activate("cfg2", null));
        way.MarkDeleted(Now);
        Assert.Throws<InvalidOperationException>(() => way.MarkDeleted(Now));
    }

    [Theory]
    [InlineData("1234567890123456789012345678901")]
    [InlineData("cw abc")]
    [InlineData("cw/abc")]
    [InlineData("")]
    public void ContactWayRules_BadState_Invalid(string state) => Assert.False(ContactWayRules.IsValidState(state));

    [Fact]
    public void RecordRelationTouch_FirstAdd_AcquisitionAndLastTouch()
    {
        var attribution = MemberAttribution.New("o1");
        var touch = Touch.OfContactAdd("cwabc", "packaging", "staff.li", Now);
        Assert.True(attribution.RecordRelationTouch(touch, TimeSpan.FromDays(7)));
        Assert.False(attribution.RecordRelationTouch(touch, TimeSpan.FromDays(7)));
        Assert.Equal(TouchKind.WeComAdd, attribution.Acquisition!.Kind);
        Assert.Equal(touch, attribution.AttributionAt(Now + TimeSpan.FromHours(1), TimeSpan.FromDays(7)).Last);
        Assert.Equal(CounterKey.ForContact("cwabc", "packaging", "staff.li"), CounterKey.For(touch));
    }
}
