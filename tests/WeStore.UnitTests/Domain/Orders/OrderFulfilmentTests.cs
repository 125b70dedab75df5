using WeStore.Domain.Orders;
using WeStore.Testing.Builders;

namespace WeStore.UnitTests.Domain.Orders;

/// <summary>The transitions after payment: shipping (whole, split, refused), receipt, completion, and refunds across them.</summary>
public sealed class OrderFulfilmentTests
{
    private static readonly DateTimeOffset Now = OrderBuilder.DefaultNow.AddHours(2);

    private static Order PaidTwoSkus() => new OrderBuilder().WithLine("a", 1000, 2).WithLine("b", 500, 1).Paid().Build();

    private static NewPackage Package(string tracking, params (string Sku, int Quantity)[] items)
        => new("YTO", tracking, [.. items.Select(i => new PackageItem(i.Sku, i.Quantity))]);

    [Fact]
    public void Ship_Everything_Shipped()
    {
        var order = PaidTwoSkus();

        var result = order.Ship(LogisticsType.Express, [Package("T1", ("a", 2), ("b", 1))], Now);

        Assert.True(result.Shipped);
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Equal("P1", Assert.Single(order.Fulfilment.Packages).PackageId);
        Assert.Equal(Now, order.Fulfilment.LastShippedAt);
    }

    [Fact]
    public void Ship_Part_PartiallyShippedThenShipped()
    {
        var order = PaidTwoSkus();

        order.Ship(LogisticsType.Express, [Package("T1", ("a", 1))], Now);
        Assert.Equal(OrderStatus.PartiallyShipped, order.Status);
        Assert.Equal(1, order.ShippableQuantity("a"));

        order.Ship(LogisticsType.Express, [Package("T2", ("a", 1), ("b", 1))], Now.AddHours(1));
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Equal(["P1", "P2"], order.Fulfilment.Packages.Select(p => p.PackageId));
        Assert.Equal(Now.AddHours(1), order.Fulfilment.LastShippedAt);
    }

    [Fact]
    public void Ship_BeyondOrdered_RefusedNothingChanged()
    {
        var order = PaidTwoSkus();

        var result = order.Ship(LogisticsType.Express, [Package("T1", ("a", 3))], Now);

        Assert.Equal(ShipRefusal.QuantityBeyondOrdered, result.Refusal);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Empty(order.Fulfilment.Packages);
    }

    [Fact]
    public void Ship_SameSkuAcrossPackagesBeyondOrdered_Refused()
        => Assert.Equal(ShipRefusal.QuantityBeyondOrdered, PaidTwoSkus().Ship(LogisticsType.Express, [Package("T1", ("a", 2)), Package("T2", ("a", 1))], Now).Refusal);

    [Fact]
    public void Ship_UnknownSku_Refused() => Assert.Equal(ShipRefusal.UnknownSku, PaidTwoSkus().Ship(LogisticsType.Express, [Package("T1", ("zz", 1))], Now).Refusal);

    [Fact]
    public void Ship_Over15Packages_Refused()
    {
        var order = new OrderBuilder().WithLine("a", 100, 20).Paid().Build();
        var packages = Enumerable.Range(1, 16).Select(i => Package("T" + i, ("a", 1))).ToList();

        Assert.Equal(ShipRefusal.TooManyPackages, order.Ship(LogisticsType.Express, packages, Now).Refusal);
    }

    [Fact]
    public void Ship_15PackagesOverTwoShipments_16thRefused()
    {
        var order = new OrderBuilder().WithLine("a", 100, 20).Paid().Build();
        Assert.True(order.Ship(LogisticsType.Express, [.. Enumerable.Range(1, 15).Select(i => Package("T" + i, ("a", 1)))], Now).Shipped);

        Assert.Equal(ShipRefusal.TooManyPackages, order.Ship(LogisticsType.Express, [Package("T16", ("a", 1))], Now).Refusal);
    }

    [Fact]
    public void Ship_NotExpressInParts_Refused()
    {
        var order = PaidTwoSkus();

        var result = order.Ship(LogisticsType.LocalDelivery, [new NewPackage(null, null, [new PackageItem("a", 1)])], Now);

        Assert.Equal(ShipRefusal.SplitNotExpress, result.Refusal);
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [Fact]
    public void Ship_Virtual_WholeOrderAtOnce()
    {
        var order = PaidTwoSkus();

        Assert.True(order.Ship(LogisticsType.Virtual, [new NewPackage(null, null, [new PackageItem("a", 2), new PackageItem("b", 1)])], Now).Shipped);
        Assert.Equal(OrderStatus.Shipped, order.Status);
    }

    [Fact]
    public void Ship_OtherLogisticsTypeAfterFirst_Refused()
    {
        var order = PaidTwoSkus();
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 1))], Now);

        Assert.Equal(ShipRefusal.LogisticsTypeChanged, order.Ship(LogisticsType.Pickup, [new NewPackage(null, null, [new PackageItem("a", 1), new PackageItem("b", 1)])], Now).Refusal);
    }

    [Fact]
    public void Ship_Unpaid_NotShippable()
        => Assert.Equal(ShipRefusal.NotShippable, new OrderBuilder().Build().Ship(LogisticsType.Express, [Package("T1", ("s1", 1))], Now).Refusal);

    [Fact]
    public void Ship_Closed_NotShippable()
    {
        var order = new OrderBuilder().Build();
        order.Close("timeout", Now);

        Assert.Equal(ShipRefusal.NotShippable, order.Ship(LogisticsType.Express, [Package("T1", ("s1", 1))], Now).Refusal);
    }

    [Fact]
    public void Ship_FullRefundPending_Refused()
    {
        var order = PaidTwoSkus();
        order.RequestRefund("r1", order.PaidAmount, "不要了", Now);

        Assert.Equal(ShipRefusal.RefundPending, order.Ship(LogisticsType.Express, [Package("T1", ("a", 1))], Now).Refusal);
    }

    [Fact]
    public void Ship_Refunded_NotShippable()
    {
        var order = PaidTwoSkus();
        order.RequestRefund("r1", order.PaidAmount, "不要了", Now);
        order.CompleteRefund("r1", succeeded: true);

        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.Equal(ShipRefusal.NotShippable, order.Ship(LogisticsType.Express, [Package("T1", ("a", 1))], Now).Refusal);
    }

    [Fact]
    public void Ship_PartiallyRefundedBeforeShipping_StillShips()
    {
        var order = PaidTwoSkus();
        order.RequestRefund("r1", 500, "少要一件", Now);
        order.CompleteRefund("r1", succeeded: true);

        Assert.Equal(OrderStatus.PartiallyRefunded, order.Status);
        Assert.True(order.Ship(LogisticsType.Express, [Package("T1", ("a", 2), ("b", 1))], Now).Shipped);
        Assert.Equal(OrderStatus.Shipped, order.Status);
    }

    [Fact]
    public void FullRefund_AfterShipping_RefundedWithPackagesKept()
    {
        var order = PaidTwoSkus();
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 2), ("b", 1))], Now);
        order.RequestRefund("r1", order.PaidAmount, "退货", Now);
        order.CompleteRefund("r1", succeeded: true);

        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.Single(order.Fulfilment.Packages);
    }

    [Fact]
    public void PartialRefund_AfterShipping_StageKept()
    {
        var order = PaidTwoSkus();
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 2), ("b", 1))], Now);
        order.RequestRefund("r1", 300, "补偿", Now);
        order.CompleteRefund("r1", succeeded: true);

        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Equal(300, order.RefundedAmount);
    }

    [Fact]
    public void ConfirmReceipt_Shipped_RecordedOnceThenAlready()
    {
        var order = PaidTwoSkus();
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 2), ("b", 1))], Now);

        Assert.Equal(ReceiptOutcome.Recorded, order.ConfirmReceipt(Now.AddDays(2), ReceiptSource.WeChat));
        Assert.Equal(ReceiptOutcome.AlreadyReceived, order.ConfirmReceipt(Now.AddDays(3), ReceiptSource.Buyer));
        Assert.Equal(OrderStatus.Received, order.Status);
        Assert.Equal(ReceiptSource.WeChat, order.Fulfilment.ReceiptSource);
        Assert.Equal(Now.AddDays(2), order.Fulfilment.ReceivedAt);
    }

    [Fact]
    public void ConfirmReceipt_PartiallyShipped_NotShipped()
    {
        var order = PaidTwoSkus();
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 1))], Now);

        Assert.Equal(ReceiptOutcome.NotShipped, order.ConfirmReceipt(Now, ReceiptSource.Buyer));
        Assert.Equal(OrderStatus.PartiallyShipped, order.Status);
    }

    [Fact]
    public void ConfirmReceipt_Paid_NotShipped() => Assert.Equal(ReceiptOutcome.NotShipped, PaidTwoSkus().ConfirmReceipt(Now, ReceiptSource.AutoConfirm));

    [Fact]
    public void Complete_Received_CompletedOnce()
    {
        var order = PaidTwoSkus();
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 2), ("b", 1))], Now);
        order.ConfirmReceipt(Now.AddDays(1), ReceiptSource.Buyer);

        Assert.True(order.Complete(Now.AddDays(8)));
        Assert.False(order.Complete(Now.AddDays(9)));
        Assert.Equal(OrderStatus.Completed, order.Status);
        Assert.Equal(Now.AddDays(8), order.Fulfilment.CompletedAt);
    }

    [Fact]
    public void Complete_Shipped_Refused()
    {
        var order = PaidTwoSkus();
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 2), ("b", 1))], Now);

        Assert.False(order.Complete(Now.AddDays(30)));
        Assert.Equal(OrderStatus.Shipped, order.Status);
    }

    [Fact]
    public void Ship_Completed_NotShippable()
    {
        var order = PaidTwoSkus();
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 2), ("b", 1))], Now);
        order.ConfirmReceipt(Now, ReceiptSource.Buyer);
        order.Complete(Now.AddDays(8));

        Assert.Equal(ShipRefusal.NotShippable, order.Ship(LogisticsType.Express, [Package("T2", ("a", 1))], Now).Refusal);
    }

    [Fact]
    public void HasBeenPaid_EveryStageAfterPayment_True()
    {
        var order = PaidTwoSkus();
        Assert.True(order.HasBeenPaid);
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 2), ("b", 1))], Now);
        Assert.True(order.HasBeenPaid);
        order.ConfirmReceipt(Now, ReceiptSource.Buyer);
        Assert.True(order.HasBeenPaid);
        order.Complete(Now.AddDays(8));
        Assert.True(order.HasBeenPaid);
        Assert.False(new OrderBuilder().Build().HasBeenPaid);
    }

    [Fact]
    public void Buckets_FollowTheStages()
    {
        var order = PaidTwoSkus();
        Assert.Equal(OrderBucket.ToShip, OrderBuckets.Of(order));
        order.Ship(LogisticsType.Express, [Package("T1", ("a", 1))], Now);
        Assert.Equal(OrderBucket.ToShip, OrderBuckets.Of(order));
        order.Ship(LogisticsType.Express, [Package("T2", ("a", 1), ("b", 1))], Now);
        Assert.Equal(OrderBucket.Shipped, OrderBuckets.Of(order));
        order.ConfirmReceipt(Now, ReceiptSource.Buyer);
        Assert.Equal(OrderBucket.Received, OrderBuckets.Of(order));
        order.Complete(Now.AddDays(8));
        Assert.Null(OrderBuckets.Of(order));
    }
}
