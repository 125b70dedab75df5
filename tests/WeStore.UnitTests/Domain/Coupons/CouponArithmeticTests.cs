using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using WeStore.Domain.Coupons;
using WeStore.Domain.Orders;

namespace WeStore.UnitTests.Domain.Coupons;

public sealed class CouponArithmeticTests
{
    private static CouponTerms Percent(int percent, long cap) => new(CouponType.Percent, 0, percent, cap, 0, [], []);

    private static OrderAmounts PriceWith(CouponTerms terms, long unitPrice, int quantity)
    {
        var lines = new[] { new OrderLine("s", "p", "n", unitPrice, quantity, 0) };
        return OrderPricing.Price(lines, terms.DiscountFor(lines.Sum(l => l.Total)));
    }

    [Property(MaxTest = 500)]
    public Property PercentWithCap_PayableInRangeAndDiscountNeverAboveCap()
        => Prop.ForAll(
            (from percent in Gen.Choose(1, 99) from cap in Gen.Choose(1, 1_000_000) from unitPrice in Gen.Choose(1, 100_000) from quantity in Gen.Choose(1, 99)
             select (percent, cap, unitPrice, quantity)).ToArbitrary(),
            t =>
            {
                var (percent, cap, unitPrice, quantity) = t;
                var amounts = PriceWith(Percent(percent, cap), unitPrice, quantity);
                return amounts.Payable >= 1 && amounts.Payable <= amounts.Subtotal && amounts.Discount <= cap
                       && amounts.Discount <= amounts.Subtotal * percent / 100 && amounts.Discount + amounts.Payable == amounts.Subtotal;
            });

    [Property(MaxTest = 500)]
    public Property Threshold_DiscountOnlyFromMinSpend_PayableAtLeastOneFen()
        => Prop.ForAll(
            (from minSpend in Gen.Choose(2, 500_000) from amountOff in Gen.Choose(1, 500_000) from unitPrice in Gen.Choose(1, 200_000) from quantity in Gen.Choose(1, 99)
             select (minSpend, amountOff, unitPrice, quantity)).ToArbitrary(),
            t =>
            {
                var (minSpend, amountOff, unitPrice, quantity) = t;
                var terms = new CouponTerms(CouponType.Threshold, amountOff, 0, 0, minSpend, [], []);
                var amounts = PriceWith(terms, unitPrice, quantity);
                var reached = (long)unitPrice * quantity >= minSpend;
                return amounts.Payable >= 1 && amounts.Payable <= amounts.Subtotal
                       && (reached ? amounts.Discount == Math.Min(amountOff, amounts.Subtotal - 1) : amounts.Discount == 0);
            });

    [Property(MaxTest = 300)]
    public Property Fixed_LargerThanSubtotal_StillOneFen()
        => Prop.ForAll(Gen.Choose(1, 1_000_000).ToArbitrary(), Gen.Choose(1, 10_000).ToArbitrary(),
            (amountOff, unitPrice) => PriceWith(new CouponTerms(CouponType.Fixed, amountOff, 0, 0, 0, [], []), unitPrice, 1).Payable >= 1);

    [Theory]
    [InlineData(10, 500, 3000, 300)]   // 10% of 30.00 = 3.00
    [InlineData(10, 200, 3000, 200)]   // capped at 2.00
    [InlineData(15, 1000, 999, 149)]   // rounded down
    public void Percent_KnownCases(int percent, long cap, long subtotal, long expected)
        => Assert.Equal(expected, Percent(percent, cap).DiscountFor(subtotal));

    [Fact]
    public void Scope_OnlyListedSkusCount()
    {
        var terms = new CouponTerms(CouponType.Fixed, 100, 0, 0, 0, ["s1"], ["p9"]);
        Assert.True(terms.Covers("s1", "p1"));
        Assert.True(terms.Covers("s2", "p9"));
        Assert.False(terms.Covers("s2", "p1"));
    }
}
