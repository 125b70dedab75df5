using WeStore.Domain.Orders;

namespace WeStore.UnitTests.Domain.Orders;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static Order Pending() => Order.Place("WS0001", "oMember", [new OrderLine("s1", "p1", "n", 1000, 2, 0)], new OrderAmounts(2000, 0, 2000),
        null, new ShippingAddress("a", "1", "p", "c", "d", "x", null), null, Now, Now.AddMinutes(15), "wx1", "h", "{}");

    [Fact]
    public void MarkPaid_Pending_Paid()
    {
        var order = Pending();
        order.MarkPaid("4200001", Now);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal("4200001", order.TransactionId);
    }

    [Fact]
    public void MarkPaid_Closed_Refused()
    {
        var order = Pending();
        order.Close("timeout", Now);
        Assert.Throws<IllegalOrderTransitionException>(() => order.MarkPaid("4200001", Now));
        Assert.Equal(OrderStatus.Closed, order.Status);
    }

    [Fact]
    public void CloseOrCancel_Paid_Refused()
    {
        var order = Pending();
        order.MarkPaid("4200001", Now);
        Assert.Throws<IllegalOrderTransitionException>(() => order.Close("timeout", Now));
        Assert.Throws<IllegalOrderTransitionException>(() => order.Cancel(Now));
        Assert.Throws<IllegalOrderTransitionException>(() => order.MarkPaid("4200002", Now));
    }

    [Fact]
    public void Place_PayableBelowOneFen_Refused()
        => Assert.Throws<ArgumentException>(() => Order.Place("WS1", "o", [new OrderLine("s", "p", "n", 1, 1, 0)], new OrderAmounts(1, 1, 0),
            null, new ShippingAddress("a", "1", "p", "c", "d", "x", null), null, Now, Now, "wx", "h", "{}"));
}

public sealed class OrderPricingTests
{
    private static OrderLine Line(long price, int quantity) => new("s", "p", "n", price, quantity, 0);

    [Fact]
    public void Price_Lines_SumsUnitPriceTimesQuantity()
        => Assert.Equal(new OrderAmounts(4498, 0, 4498), OrderPricing.Price([Line(1999, 2), Line(500, 1)]));

    [Theory]
    [InlineData(1000, 0, 1000)]
    [InlineData(1000, 300, 700)]
    [InlineData(1000, 1000, 1)]
    [InlineData(1000, 5000, 1)]
    [InlineData(1000, -50, 1000)]
    public void Price_Discount_ClampedSoPayableAtLeastOneFen(long subtotal, long discount, long payable)
    {
        var amounts = OrderPricing.Price([Line(subtotal, 1)], discount);
        Assert.Equal(payable, amounts.Payable);
        Assert.Equal(subtotal, amounts.Subtotal);
        Assert.Equal(subtotal - payable, amounts.Discount);
    }

    [Fact]
    public void Price_Overflow_Throws()
        => Assert.Throws<OverflowException>(() => OrderPricing.Price([Line(long.MaxValue / 2, 3)]));
}
