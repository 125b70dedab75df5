using WeStore.Domain.AfterSales;
using WeStore.Testing.Builders;

namespace WeStore.UnitTests.Domain.AfterSales;

/// <summary>Every transition of an after-sale request, and the refusal of every illegal one.</summary>
public sealed class AfterSaleTests
{
    private static readonly DateTimeOffset Now = OrderBuilder.DefaultNow.AddDays(3);

    [Fact]
    public void Refund_RequestedApprovedRefundingRefunded()
    {
        var a = new AfterSaleBuilder().Build();

        Assert.Equal(AfterSaleMove.Moved, a.Approve(null, null, Now));
        Assert.Equal(AfterSaleMove.Moved, a.StartRefund(Now));
        Assert.Equal($"{a.Id}-1", a.OutRefundNo);
        Assert.Equal(AfterSaleMove.Moved, a.RefundSucceeded(Now));
        Assert.Equal(AfterSaleStatus.Refunded, a.Status);
        Assert.False(a.IsOpen);
        Assert.Equal(Now, a.ClosedAt);
    }

    [Fact]
    public void Return_ApprovedShippedReceivedRefundingRefunded()
    {
        var a = new AfterSaleBuilder().Return().Build();

        Assert.Equal(AfterSaleMove.Moved, a.Approve(null, "退货仓", Now));
        Assert.Equal(AfterSaleMove.Refused, a.StartRefund(Now)); // not before the goods are back
        Assert.Equal(AfterSaleMove.Moved, a.ShipReturn("YTO", "YT1", Now));
        Assert.Equal(AfterSaleMove.Unchanged, a.ShipReturn("YTO", "YT1", Now));
        Assert.Equal(AfterSaleMove.Moved, a.Receive(restock: true, Now));
        Assert.Equal(AfterSaleMove.Moved, a.StartRefund(Now));
        Assert.Equal(AfterSaleMove.Moved, a.RefundSucceeded(Now));
        Assert.Equal(AfterSaleStatus.Refunded, a.Status);
        Assert.True(a.Restock);
    }

    [Fact]
    public void Approve_LessThanAsked_ApprovedAmount_MoreThanAsked_Refused()
    {
        var more = new AfterSaleBuilder().ForAmount(1000).Build();
        var less = new AfterSaleBuilder().ForAmount(1000).Build();

        Assert.Equal(AfterSaleMove.Refused, more.Approve(1001, null, Now));
        Assert.Equal(AfterSaleMove.Moved, less.Approve(600, null, Now));
        Assert.Equal(600, less.RefundAmount);
        Assert.Equal(AfterSaleStatus.Requested, more.Status);
    }

    [Fact]
    public void Approve_Repeated_AfterTheRefundStarted_Unchanged()
    {
        var a = new AfterSaleBuilder().Build();
        a.Approve(null, null, Now);
        a.StartRefund(Now);

        Assert.Equal(AfterSaleMove.Unchanged, a.Approve(null, null, Now));
        Assert.Equal(AfterSaleMove.Refused, a.Approve(500, null, Now));
        Assert.Equal(AfterSaleStatus.Refunding, a.Status);
    }

    [Fact]
    public void Receive_Repeated_AfterTheRefundStarted_Unchanged_OtherRestock_Refused()
    {
        var a = new AfterSaleBuilder().Return().BuildReadyToRefund();
        a.StartRefund(Now);

        Assert.Equal(AfterSaleMove.Unchanged, a.Receive(restock: true, Now));
        Assert.Equal(AfterSaleMove.Refused, a.Receive(restock: false, Now));
    }

    [Fact]
    public void Approve_ReturnWithoutAddress_Refused() => Assert.Equal(AfterSaleMove.Refused, new AfterSaleBuilder().Return().Build().Approve(null, null, Now));

    [Fact]
    public void Approve_Twice_Unchanged_AfterReject_Refused()
    {
        var approved = new AfterSaleBuilder().Build();
        approved.Approve(null, null, Now);
        var rejected = new AfterSaleBuilder().Build();
        rejected.Reject("照片不清楚", Now);

        Assert.Equal(AfterSaleMove.Unchanged, approved.Approve(null, null, Now));
        Assert.Equal(AfterSaleMove.Refused, rejected.Approve(null, null, Now));
        Assert.Equal(AfterSaleMove.Refused, approved.Reject("x", Now));
    }

    [Fact]
    public void Cancel_RequestedOrApproved_Cancelled_AfterReturnShipped_Refused()
    {
        var requested = new AfterSaleBuilder().Build();
        var approved = new AfterSaleBuilder().Return().Build();
        approved.Approve(null, "退货仓", Now);
        var shipped = new AfterSaleBuilder().Return().Build();
        shipped.Approve(null, "退货仓", Now);
        shipped.ShipReturn("YTO", "YT1", Now);

        Assert.Equal(AfterSaleMove.Moved, requested.Cancel(Now));
        Assert.Equal(AfterSaleMove.Unchanged, requested.Cancel(Now));
        Assert.Equal(AfterSaleMove.Moved, approved.Cancel(Now));
        Assert.Equal(AfterSaleMove.Refused, shipped.Cancel(Now));
        Assert.Equal(AfterSaleStatus.ReturnShipped, shipped.Status);
    }

    [Fact]
    public void Cancel_Refunding_Refused()
    {
        var a = new AfterSaleBuilder().BuildReadyToRefund();
        a.StartRefund(Now);

        Assert.Equal(AfterSaleMove.Refused, a.Cancel(Now));
        Assert.Equal(AfterSaleMove.Refused, a.Reject("x", Now));
    }

    [Fact]
    public void ShipReturn_RefundOnlyOrNotApproved_Refused()
    {
        var refund = new AfterSaleBuilder().Build();
        refund.Approve(null, null, Now);

        Assert.Equal(AfterSaleMove.Refused, refund.ShipReturn("YTO", "YT1", Now));
        Assert.Equal(AfterSaleMove.Refused, new AfterSaleBuilder().Return().Build().ShipReturn("YTO", "YT1", Now));
    }

    [Fact]
    public void Receive_BeforeTrackingNumber_Allowed_RefundOnly_Refused()
    {
        var back = new AfterSaleBuilder().Return().Build();
        back.Approve(null, "退货仓", Now);
        var refund = new AfterSaleBuilder().Build();
        refund.Approve(null, null, Now);

        Assert.Equal(AfterSaleMove.Moved, back.Receive(restock: false, Now));
        Assert.Equal(AfterSaleMove.Refused, refund.Receive(restock: true, Now));
    }

    [Fact]
    public void RefundStopped_Abnormal_RetryKeepsNumber()
    {
        var a = new AfterSaleBuilder().BuildReadyToRefund();
        a.StartRefund(Now);
        var number = a.OutRefundNo;

        Assert.Equal(AfterSaleMove.Moved, a.RefundStopped(RefundProblem.Abnormal, Now));
        Assert.Equal(AfterSaleMove.Unchanged, a.RefundStopped(RefundProblem.Abnormal, Now));
        Assert.Equal(AfterSaleStatus.RefundAbnormal, a.Status);
        Assert.Equal(AfterSaleMove.Moved, a.RetryRefund(Now));
        Assert.Equal(number, a.OutRefundNo);
        Assert.Equal(AfterSaleStatus.Refunding, a.Status);
    }

    [Fact]
    public void RefundStopped_Closed_RetryTakesTheNextNumber()
    {
        var a = new AfterSaleBuilder().BuildReadyToRefund();
        a.StartRefund(Now);
        a.RefundStopped(RefundProblem.Closed, Now);

        a.RetryRefund(Now);

        Assert.Equal($"{a.Id}-2", a.OutRefundNo);
        Assert.Equal(AfterSaleMove.Moved, a.RefundSucceeded(Now));
    }

    [Fact]
    public void RetryRefund_NotStopped_RefusedOrUnchanged()
    {
        var requested = new AfterSaleBuilder().Build();
        var refunding = new AfterSaleBuilder().BuildReadyToRefund();
        refunding.StartRefund(Now);

        Assert.Equal(AfterSaleMove.Refused, requested.RetryRefund(Now));
        Assert.Equal(AfterSaleMove.Unchanged, refunding.RetryRefund(Now));
    }

    [Fact]
    public void RefundSucceeded_NotRefunding_Refused_Twice_Unchanged()
    {
        var requested = new AfterSaleBuilder().Build();
        var done = new AfterSaleBuilder().BuildReadyToRefund();
        done.StartRefund(Now);
        done.RefundSucceeded(Now);

        Assert.Equal(AfterSaleMove.Refused, requested.RefundSucceeded(Now));
        Assert.Equal(AfterSaleMove.Unchanged, done.RefundSucceeded(Now));
        Assert.Equal(AfterSaleMove.Refused, done.RefundStopped(RefundProblem.Closed, Now));
    }

    [Fact]
    public void Request_ReturnWithoutLines_Throws()
        => Assert.Throws<ArgumentException>(() => AfterSale.Request("ASX", "o", "WS1", AfterSaleType.Return, [], 100, "x", null, [], "h", Now));
}
