using WeStore.Domain.AfterSales;
using WeStore.Domain.Orders;
using WeStore.Testing.Builders;

namespace WeStore.UnitTests.Domain.Orders;

/// <summary>What an order lets after-sale requests claim: the window, the lines, the money, one open request per line.</summary>
public sealed class OrderAfterSaleTests
{
    private static readonly DateTimeOffset Now = OrderBuilder.DefaultNow.AddHours(2);
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);

    private static Order Received()
    {
        var order = new OrderBuilder().WithLine("a", 1000, 2).WithLine("b", 500, 1).Paid().Build();
        order.Ship(LogisticsType.Express, [new NewPackage("YTO", "T1", [new PackageItem("a", 2), new PackageItem("b", 1)])], Now);
        order.ConfirmReceipt(Now.AddDays(1), ReceiptSource.Buyer);
        return order;
    }

    private static IReadOnlyList<AfterSaleLine> Line(string sku, int quantity) => [new AfterSaleLine(sku, quantity)];

    [Fact]
    public void Open_ReturnOneLine_ItsShareOfWhatWasPaid()
    {
        var order = Received();

        var opening = order.OpenAfterSale("AS1", AfterSaleType.Return, Line("a", 1), null, Now.AddDays(2), Window);

        Assert.True(opening.Opened);
        Assert.Equal(1000, opening.Amount);
        Assert.True(order.HasOpenAfterSale);
        Assert.Equal(1, order.ClaimableQuantity("a"));
    }

    [Fact]
    public void Open_WithCoupon_ShareIsProRata()
    {
        var order = new OrderBuilder().WithLine("a", 1000, 2).WithCoupon("c1", 500).Paid().Build(); // paid 1500 of 2000

        var opening = order.OpenAfterSale("AS1", AfterSaleType.Refund, Line("a", 1), null, Now, Window);

        Assert.Equal(750, opening.Amount);
    }

    [Fact]
    public void Open_SameId_Replayed_NothingAdded()
    {
        var order = Received();
        order.OpenAfterSale("AS1", AfterSaleType.Return, Line("a", 1), null, Now.AddDays(2), Window);

        var again = order.OpenAfterSale("AS1", AfterSaleType.Return, Line("a", 1), null, Now.AddDays(2), Window);

        Assert.True(again.Replayed);
        Assert.Single(order.AfterSales);
    }

    [Fact]
    public void Open_SecondRequestForAnOpenLine_LineOpen()
    {
        var order = Received();
        order.OpenAfterSale("AS1", AfterSaleType.Return, Line("a", 1), null, Now.AddDays(2), Window);

        Assert.Equal(AfterSaleRefusal.LineOpen, order.OpenAfterSale("AS2", AfterSaleType.Return, Line("a", 1), null, Now.AddDays(2), Window).Refusal);
        Assert.True(order.OpenAfterSale("AS3", AfterSaleType.Return, Line("b", 1), null, Now.AddDays(2), Window).Opened);
    }

    [Fact]
    public void Open_AfterTheWindow_WindowClosed()
        => Assert.Equal(AfterSaleRefusal.WindowClosed, Received().OpenAfterSale("AS1", AfterSaleType.Refund, Line("a", 1), null, Now.AddDays(1) + Window + TimeSpan.FromSeconds(1), Window).Refusal);

    [Fact]
    public void Open_Completed_WindowClosed()
    {
        var order = Received();
        order.Complete(Now.AddDays(9));

        Assert.Equal(AfterSaleRefusal.WindowClosed, order.OpenAfterSale("AS1", AfterSaleType.Refund, Line("a", 1), null, Now.AddDays(9), Window).Refusal);
    }

    [Fact]
    public void Open_ReturnBeforeShipment_Refused_RefundAllowed()
    {
        var order = new OrderBuilder().WithLine("a", 1000, 2).Paid().Build();

        Assert.Equal(AfterSaleRefusal.ReturnBeforeShipment, order.OpenAfterSale("AS1", AfterSaleType.Return, Line("a", 1), null, Now, Window).Refusal);
        Assert.True(order.OpenAfterSale("AS2", AfterSaleType.Refund, Line("a", 1), null, Now, Window).Opened);
    }

    [Fact]
    public void Open_Unpaid_NotPaid() => Assert.Equal(AfterSaleRefusal.NotPaid, new OrderBuilder().Build().OpenAfterSale("AS1", AfterSaleType.Refund, [], 100, Now, Window).Refusal);

    [Fact]
    public void Open_MoreThanOrdered_QuantityBeyond_UnknownSku_Refused()
    {
        var order = Received();

        Assert.Equal(AfterSaleRefusal.QuantityBeyond, order.OpenAfterSale("AS1", AfterSaleType.Return, Line("a", 3), null, Now.AddDays(2), Window).Refusal);
        Assert.Equal(AfterSaleRefusal.UnknownSku, order.OpenAfterSale("AS2", AfterSaleType.Return, Line("zz", 1), null, Now.AddDays(2), Window).Refusal);
    }

    [Fact]
    public void Open_AmountAboveWhatRemains_AmountBeyond()
    {
        var order = Received(); // paid 2500
        order.OpenAfterSale("AS1", AfterSaleType.Refund, [], 2000, Now.AddDays(2), Window);

        Assert.Equal(500, order.AfterSaleAvailable);
        Assert.Equal(AfterSaleRefusal.AmountBeyond, order.OpenAfterSale("AS2", AfterSaleType.Return, Line("b", 1), 501, Now.AddDays(2), Window).Refusal);
        Assert.True(order.OpenAfterSale("AS3", AfterSaleType.Return, Line("b", 1), 500, Now.AddDays(2), Window).Opened);
    }

    [Fact]
    public void Refund_Success_SettlesTheClaim_ReturnedCounted_LineClaimableNoMore()
    {
        var order = Received();
        order.OpenAfterSale("AS1", AfterSaleType.Return, Line("a", 1), null, Now.AddDays(2), Window);
        Assert.Equal(RefundRequestOutcome.Requested, order.RefundAfterSale("AS1", "AS1-1", "退货", Now.AddDays(3)));

        order.CompleteRefund("AS1-1", RefundVerdict.Succeeded);

        Assert.False(order.HasOpenAfterSale);
        Assert.Equal(1, order.Fulfilment.ReturnedQuantity("a"));
        Assert.Equal(1, order.ClaimableQuantity("a"));
        Assert.Equal(OrderStatus.Received, order.Status);
        Assert.Equal(1000, order.RefundedAmount);
        Assert.Equal(AfterSaleRefusal.QuantityBeyond, order.OpenAfterSale("AS2", AfterSaleType.Return, Line("a", 2), null, Now.AddDays(3), Window).Refusal);
    }

    [Fact]
    public void Refund_Closed_ClaimStaysOpen_AmountClaimedAgain()
    {
        var order = Received();
        order.OpenAfterSale("AS1", AfterSaleType.Refund, [], 2500, Now.AddDays(2), Window);
        order.RefundAfterSale("AS1", "AS1-1", "x", Now.AddDays(2));

        order.CompleteRefund("AS1-1", RefundVerdict.Closed);

        Assert.True(order.HasOpenAfterSale);
        Assert.Equal(0, order.AfterSaleAvailable); // the open claim still holds it
        Assert.Equal(RefundRequestOutcome.Requested, order.RefundAfterSale("AS1", "AS1-2", "x", Now.AddDays(2).AddMinutes(1)));
    }

    [Fact]
    public void RefundOnly_BeforeShipment_LinesNoLongerToShip_PartiallyShippedBecomesShipped()
    {
        var order = new OrderBuilder().WithLine("a", 1000, 3).Paid().Build();
        order.Ship(LogisticsType.Express, [new NewPackage("YTO", "T1", [new PackageItem("a", 2)])], Now);
        Assert.Equal(OrderStatus.PartiallyShipped, order.Status);
        order.OpenAfterSale("AS1", AfterSaleType.Refund, Line("a", 1), null, Now, Window);
        order.RefundAfterSale("AS1", "AS1-1", "缺货", Now);

        order.CompleteRefund("AS1-1", RefundVerdict.Succeeded);

        Assert.Equal(1, order.Fulfilment.RefundedQuantity("a"));
        Assert.Equal(0, order.ShippableQuantity("a"));
        Assert.Equal(OrderStatus.Shipped, order.Status);
    }

    [Fact]
    public void Close_LetsTheLineGo()
    {
        var order = Received();
        order.OpenAfterSale("AS1", AfterSaleType.Return, Line("a", 1), null, Now.AddDays(2), Window);

        order.CloseAfterSale("AS1");

        Assert.False(order.HasOpenAfterSale);
        Assert.True(order.OpenAfterSale("AS2", AfterSaleType.Return, Line("a", 2), null, Now.AddDays(2), Window).Opened);
    }

    [Fact]
    public void Resize_ShrinksTheClaim()
    {
        var order = Received();
        order.OpenAfterSale("AS1", AfterSaleType.Refund, [], 2000, Now.AddDays(2), Window);

        order.ResizeAfterSale("AS1", 800);

        Assert.Equal(1700, order.AfterSaleAvailable);
    }
}
