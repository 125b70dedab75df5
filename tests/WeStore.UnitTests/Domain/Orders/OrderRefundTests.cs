using WeStore.Domain.Orders;
using WeStore.Testing.Builders;

namespace WeStore.UnitTests.Domain.Orders;

/// <summary>The refund transitions on an order: requested, repeated, refused, and WeChat Pay's verdict.</summary>
public sealed class OrderRefundTests
{
    private static readonly DateTimeOffset Now = OrderBuilder.DefaultNow.AddHours(1);

    [Fact]
    public void RequestRefund_Paid_PendingAndRefundableReduced()
    {
        var order = new OrderBuilder().WithLine("s", 1000, 1).Paid().Build();

        var outcome = order.RequestRefund("r1", 600, "破损", Now);

        Assert.Equal(RefundRequestOutcome.Requested, outcome);
        Assert.Equal(RefundStatus.Pending, Assert.Single(order.Refunds).Status);
        Assert.Equal(400, order.RefundableAmount);
        Assert.Equal(0, order.RefundedAmount);
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [Fact]
    public void RequestRefund_SameNumberAndAmount_AlreadyRequested_NothingAdded()
    {
        var order = new OrderBuilder().Paid().Build();
        order.RequestRefund("r1", 600, "x", Now);

        Assert.Equal(RefundRequestOutcome.AlreadyRequested, order.RequestRefund("r1", 600, "x", Now));
        Assert.Single(order.Refunds);
    }

    [Fact]
    public void RequestRefund_SameNumberOtherAmount_Refused_NothingChanged()
    {
        var order = new OrderBuilder().Paid().Build();
        order.RequestRefund("r1", 600, "x", Now);

        Assert.Equal(RefundRequestOutcome.NumberReusedForAnotherAmount, order.RequestRefund("r1", 700, "x", Now));
        Assert.Equal(600, Assert.Single(order.Refunds).Amount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(2001)]
    public void RequestRefund_AmountOutOfRange_ExceedsRefundable(long amount)
    {
        var order = new OrderBuilder().Paid().Build(); // paid 2,000

        Assert.Equal(RefundRequestOutcome.ExceedsRefundable, order.RequestRefund("r1", amount, "x", Now));
        Assert.Empty(order.Refunds);
    }

    [Fact]
    public void RequestRefund_Unpaid_NotRefundable()
    {
        var pending = new OrderBuilder().Build();
        var closed = new OrderBuilder().Build();
        closed.Close("timeout", Now);

        Assert.Equal(RefundRequestOutcome.NotRefundable, pending.RequestRefund("r1", 100, "x", Now));
        Assert.Equal(RefundRequestOutcome.NotRefundable, closed.RequestRefund("r1", 100, "x", Now));
        Assert.Empty(pending.Refunds);
        Assert.Empty(closed.Refunds);
    }

    [Fact]
    public void RefundedAmount_NeverAbovePaid_PartialThenRest_Refunded()
    {
        var order = new OrderBuilder().WithLine("s", 1000, 1).Paid().Build();

        Assert.Equal(RefundRequestOutcome.Requested, order.RequestRefund("r1", 600, "x", Now));
        Assert.Equal(RefundRequestOutcome.ExceedsRefundable, order.RequestRefund("r2", 401, "x", Now.AddMinutes(1)));
        Assert.Equal(RefundRequestOutcome.Requested, order.RequestRefund("r2", 400, "x", Now.AddMinutes(1)));
        order.CompleteRefund("r1", true);
        Assert.Equal(OrderStatus.PartiallyRefunded, order.Status);
        order.CompleteRefund("r2", true);

        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.Equal(1000, order.RefundedAmount);
        Assert.Equal(0, order.RefundableAmount);
    }

    [Fact]
    public void CompleteRefund_Failed_AmountRefundableAgain_StatusKept()
    {
        var order = new OrderBuilder().Paid().Build();
        order.RequestRefund("r1", 2000, "x", Now);

        order.CompleteRefund("r1", succeeded: false);

        Assert.Equal(RefundStatus.Failed, order.Refunds[0].Status);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(2000, order.RefundableAmount);
        Assert.Equal(RefundRequestOutcome.Requested, order.RequestRefund("r2", 2000, "x", Now.AddMinutes(1)));
    }

    [Fact]
    public void RequestRefund_WithinAMinuteOfTheLast_TooSoon_NothingAdded()
    {
        var order = new OrderBuilder().Paid().Build();
        order.RequestRefund("r1", 500, "x", Now);

        Assert.Equal(RefundRequestOutcome.TooSoon, order.RequestRefund("r2", 500, "x", Now.AddSeconds(59)));
        Assert.Single(order.Refunds);
        Assert.Equal(Now.AddMinutes(1), order.NextRefundAllowedAt);
        Assert.Equal(RefundRequestOutcome.Requested, order.RequestRefund("r2", 500, "x", Now.AddMinutes(1)));
    }

    [Fact]
    public void RequestRefund_AYearAfterPayment_TooOld()
    {
        var order = new OrderBuilder().Paid().Build();

        Assert.Equal(RefundRequestOutcome.TooOld, order.RequestRefund("r1", 500, "x", order.PaidAt!.Value + Order.RefundAge + TimeSpan.FromSeconds(1)));
        Assert.Empty(order.Refunds);
    }

    [Fact]
    public void RequestRefund_Fifty_TheFiftyFirstTooMany()
    {
        var order = new OrderBuilder().WithLine("s", 100, 60).Paid().Build();
        for (var i = 0; i < Order.MaxRefunds; i++) Assert.Equal(RefundRequestOutcome.Requested, order.RequestRefund("r" + i, 1, "x", Now.AddMinutes(i)));

        Assert.Equal(RefundRequestOutcome.TooMany, order.RequestRefund("r50", 1, "x", Now.AddMinutes(Order.MaxRefunds)));
    }

    [Fact]
    public void CompleteRefund_Abnormal_StillCommitted_ThenReopenedAndSucceeds()
    {
        var order = new OrderBuilder().Paid().Build();
        order.RequestRefund("r1", 2000, "x", Now);

        order.CompleteRefund("r1", RefundVerdict.Abnormal);
        Assert.Equal(RefundStatus.Abnormal, order.Refunds[0].Status);
        Assert.Equal(0, order.RefundableAmount);
        Assert.True(order.ReopenAbnormalRefund("r1"));
        Assert.Equal(RefundStatus.Pending, order.Refunds[0].Status);
        order.CompleteRefund("r1", RefundVerdict.Succeeded);

        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.False(order.ReopenAbnormalRefund("r1"));
    }

    [Fact]
    public void CompleteRefund_FinalThenAnotherVerdict_Unchanged()
    {
        var order = new OrderBuilder().Paid().Build();
        order.RequestRefund("r1", 2000, "x", Now);
        order.CompleteRefund("r1", RefundVerdict.Succeeded);

        order.CompleteRefund("r1", RefundVerdict.Closed);
        order.CompleteRefund("r1", RefundVerdict.Abnormal);

        Assert.Equal(RefundStatus.Succeeded, order.Refunds[0].Status);
        Assert.Equal(OrderStatus.Refunded, order.Status);
    }

    [Fact]
    public void CompleteRefund_Twice_SecondVerdictIgnored()
    {
        var order = new OrderBuilder().Paid().Build();
        order.RequestRefund("r1", 2000, "x", Now);
        order.CompleteRefund("r1", succeeded: true);

        order.CompleteRefund("r1", succeeded: false);

        Assert.Equal(RefundStatus.Succeeded, order.Refunds[0].Status);
        Assert.Equal(OrderStatus.Refunded, order.Status);
    }

    [Fact]
    public void CompleteRefund_UnknownNumber_Refused()
    {
        var order = new OrderBuilder().Paid().Build();
        Assert.Throws<InvalidOperationException>(() => order.CompleteRefund("nope", true));
    }

    [Fact]
    public void RecordStrayPayment_Pending_ClosedFlaggedAndRefundable()
    {
        var order = new OrderBuilder().Build();

        order.RecordStrayPayment("4200000009", 1999, "amount mismatch", Now);

        Assert.Equal(OrderStatus.Closed, order.Status);
        Assert.Equal("amount mismatch", order.PaymentIssue);
        Assert.Equal(1999, order.PaidAmount);
        Assert.Equal(RefundRequestOutcome.Requested, order.RequestRefund(order.OrderNo + "-STRAY", 1999, "amount mismatch", Now));
    }

    [Fact]
    public void RecordStrayPayment_Paid_Refused()
    {
        var order = new OrderBuilder().Paid().Build();
        Assert.Throws<IllegalOrderTransitionException>(() => order.RecordStrayPayment("4200000009", 2000, "x", Now));
        Assert.Null(order.PaymentIssue);
    }

    [Fact]
    public void AttachAttribution_Pending_OnceOnly()
    {
        var order = new OrderBuilder().AttributionPending().Build();
        var first = new WeStore.Domain.Attribution.OrderAttribution(null, null);
        var touch = new WeStore.Domain.Attribution.Touch("q1", "kol", "src", null, 1047, Now);

        order.AttachAttribution(new WeStore.Domain.Attribution.OrderAttribution(touch, touch));
        order.AttachAttribution(first);

        Assert.False(order.AttributionPending);
        Assert.Equal("q1", order.Attribution.Last!.SceneId);
    }
}
