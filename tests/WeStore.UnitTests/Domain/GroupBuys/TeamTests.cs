using WeStore.Domain.GroupBuys;

namespace WeStore.UnitTests.Domain.GroupBuys;

public sealed class TeamTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);

    private static GroupBuy Buy(int size = 3, int hours = 24) => new("gb1", "sku1", 500, size, hours, Now.AddDays(-1), Now.AddDays(7), 1, null, Now.AddDays(-1));

    private static Team Open(int size = 3) => Team.Open("tm1", Buy(size), "leader", Now);

    [Fact]
    public void Hold_UpToSize_ThenFull()
    {
        var team = Open(size: 2);
        Assert.Equal(SeatOutcome.Held, team.Hold("a", "o1", Now));
        Assert.Equal(SeatOutcome.Held, team.Hold("b", "o2", Now));
        Assert.Equal(SeatOutcome.Full, team.Hold("c", "o3", Now));
        Assert.Equal(2, team.Seats.Count);
    }

    [Fact]
    public void Hold_SameOrderOrSameMember_AlreadyHeldOrRefused()
    {
        var team = Open();
        team.Hold("a", "o1", Now);
        Assert.Equal(SeatOutcome.AlreadyHeld, team.Hold("a", "o1", Now));
        Assert.Equal(SeatOutcome.AlreadyMember, team.Hold("a", "o2", Now));
        Assert.Single(team.Seats);
    }

    [Fact]
    public void Hold_AtDeadlineOrClosed_Refused()
    {
        var team = Open();
        Assert.Equal(SeatOutcome.Expired, team.Hold("a", "o1", team.Deadline));
        Assert.True(team.Fail(team.Deadline));
        Assert.Equal(SeatOutcome.Closed, team.Hold("a", "o1", Now));
    }

    [Fact]
    public void Check_ChangesNothing()
    {
        var team = Open();
        Assert.Equal(SeatOutcome.Held, team.Check("a", "o1", Now));
        Assert.Empty(team.Seats);
    }

    [Fact]
    public void Release_HeldSeat_FreedAndCounted_PaidSeatKept()
    {
        var team = Open();
        team.Hold("a", "o1", Now);
        team.Hold("b", "o2", Now);
        team.MarkPaid("o2", Now, Now);
        Assert.True(team.Release("o1"));
        Assert.False(team.Release("o1"));
        Assert.False(team.Release("o2"));
        Assert.Equal((1, 1), (team.Seats.Count, team.Freed));
    }

    [Fact]
    public void MarkPaid_LastSeatBeforeDeadline_Won()
    {
        var team = Open(size: 2);
        team.Hold("a", "o1", Now);
        team.Hold("b", "o2", Now);
        Assert.Equal(SeatPayment.Paid, team.MarkPaid("o1", Now.AddMinutes(1), Now));
        Assert.Equal(SeatPayment.AlreadyPaid, team.MarkPaid("o1", Now.AddMinutes(1), Now));
        Assert.Equal(SeatPayment.Won, team.MarkPaid("o2", Now.AddMinutes(2), Now));
        Assert.Equal(TeamStatus.Won, team.Status);
        Assert.False(team.Fail(team.Deadline.AddHours(1)));
    }

    [Fact]
    public void MarkPaid_AfterDeadlineOrIntoFailedTeam_MustRefund()
    {
        var late = Open(size: 2);
        late.Hold("a", "o1", Now);
        late.Hold("b", "o2", Now);
        late.MarkPaid("o1", Now, Now);
        Assert.Equal(SeatPayment.MustRefund, late.MarkPaid("o2", late.Deadline, late.Deadline));
        Assert.Equal(TeamStatus.Open, late.Status);

        var failed = Open(size: 3);
        failed.Hold("a", "o1", Now);
        failed.Fail(failed.Deadline);
        Assert.Equal(SeatPayment.MustRefund, failed.MarkPaid("o1", Now, failed.Deadline));
        Assert.Equal(SeatPayment.MustRefund, failed.MarkPaid("o1", Now, failed.Deadline));
        Assert.Equal(SeatPayment.NoSeat, failed.MarkPaid("o9", Now, failed.Deadline));
    }

    [Fact]
    public void Fail_BeforeDeadline_Refused()
    {
        var team = Open();
        Assert.False(team.Fail(team.Deadline.AddSeconds(-1)));
        Assert.Equal(TeamStatus.Open, team.Status);
    }

    [Fact]
    public void IsSettled_FailedTeam_OnlyWhenEveryPaidSeatRefundedAndNoneHeld()
    {
        var team = Open();
        team.Hold("a", "o1", Now);
        team.Hold("b", "o2", Now);
        team.MarkPaid("o1", Now, Now);
        team.Fail(team.Deadline);
        Assert.False(team.IsSettled);
        team.Release("o2");
        Assert.False(team.IsSettled);
        Assert.True(team.RecordRefund("o1", SeatRefund.Pending));
        Assert.False(team.IsSettled);
        Assert.True(team.RecordRefund("o1", SeatRefund.Succeeded));
        Assert.False(team.RecordRefund("o1", SeatRefund.Pending));
        Assert.True(team.IsSettled);
    }

    [Theory]
    [InlineData(0, 2, 24, 1, null)]
    [InlineData(500, 1, 24, 1, null)]
    [InlineData(500, 11, 24, 1, null)]
    [InlineData(500, 2, 0, 1, null)]
    [InlineData(500, 2, 73, 1, null)]
    [InlineData(500, 2, 24, 0, null)]
    [InlineData(500, 3, 24, 1, 2)]
    public void Refusal_OutOfRange_Refused(long price, int size, int hours, int limit, int? stock)
        => Assert.NotNull(GroupBuy.Refusal(price, size, hours, Now, Now.AddDays(1), limit, stock));

    [Fact]
    public void Refusal_EndBeforeStart_Refused()
        => Assert.NotNull(GroupBuy.Refusal(500, 2, 24, Now, Now, 1, null));

    [Fact]
    public void Refusal_Valid_Null()
        => Assert.Null(GroupBuy.Refusal(500, 10, 72, Now, Now.AddDays(1), 99, 10));
}
