using WeStore.Domain.Segments;

namespace WeStore.UnitTests.Domain.Segments;

public sealed class FlowRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryClaim_LiveClaim_RefusedUntilLeaseEnds_ThenTakenOver()
    {
        var run = FlowRun.Enter("fl1", "o1", "joined", Now);
        Assert.True(run.TryClaim(0, Now, TimeSpan.FromMinutes(2), out var first));
        Assert.False(first);
        Assert.False(run.TryClaim(0, Now.AddMinutes(1), TimeSpan.FromMinutes(2), out _));
        Assert.True(run.TryClaim(0, Now.AddMinutes(3), TimeSpan.FromMinutes(2), out var takeover));
        Assert.True(takeover);
    }

    [Fact]
    public void TryClaim_NotTheCurrentStep_Refused()
    {
        var run = FlowRun.Enter("fl1", "o1", "joined", Now);
        Assert.False(run.TryClaim(1, Now, TimeSpan.FromMinutes(2), out _));
    }

    [Fact]
    public void CompleteStep_Last_Finishes_CountsOnce()
    {
        var run = FlowRun.Enter("fl1", "o1", "joined", Now);
        Assert.Equal(new FlowStatsDelta(), run.CompleteStep(0, "sent", 2));
        Assert.Equal(new FlowStatsDelta(Running: -1, Finished: 1), run.CompleteStep(1, "issued", 2));
        Assert.Equal(FlowRunState.Finished, run.State);
        Assert.Throws<InvalidOperationException>(() => run.CompleteStep(2, "x", 2));
    }

    [Fact]
    public void Stop_Running_CountsTheReason_AndOnlyOnce()
    {
        var run = FlowRun.Enter("fl1", "o1", "joined", Now);
        Assert.Equal(new FlowStatsDelta(Running: -1, StoppedBy: StopReasons.Purchased), run.Stop(StopReasons.Purchased));
        Assert.Throws<InvalidOperationException>(() => run.Stop(StopReasons.Purchased));
        Assert.False(run.TryClaim(0, Now, TimeSpan.FromMinutes(2), out _));
    }

    [Fact]
    public void Credit_SameOrderTwice_Once_FirstOrderMakesAPurchaser()
    {
        var run = FlowRun.Enter("fl1", "o1", "joined", Now);
        Assert.Equal(new FlowStatsDelta(Purchasers: 1, Gmv: 1000), run.Credit("N1", 1000));
        Assert.Null(run.Credit("N1", 1000));
        Assert.Equal(new FlowStatsDelta(Purchasers: 0, Gmv: 500), run.Credit("N2", 500));
    }

    [Fact]
    public void Broadcast_RecordPage_OnlyTheCurrentPage()
    {
        var b = Broadcast.Create(new BroadcastDefinition("bc1", "sg1", "hi", null, null, null, Now));
        b.RecordPage(0, "next", 3, new Dictionary<string, int> { [SkipReasons.Cap] = 1 }, ["staff.li"]);
        Assert.Throws<InvalidOperationException>(() => b.RecordPage(0, "next", 3, new Dictionary<string, int>(), []));
        b.RecordPage(1, null, 1, new Dictionary<string, int> { [SkipReasons.Cap] = 2 }, ["staff.wang"]);
        Assert.Equal(4, b.Targeted);
        Assert.Equal(3, b.Skipped[SkipReasons.Cap]);
        Assert.Equal(BroadcastStages.Sending, b.Stage);
        Assert.Equal(["staff.li", "staff.wang"], b.Staff);
    }
}
