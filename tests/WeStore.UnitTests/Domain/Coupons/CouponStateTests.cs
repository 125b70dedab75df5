using WeStore.Domain.Coupons;
using WeStore.Testing.Builders;

namespace WeStore.UnitTests.Domain.Coupons;

/// <summary>A coupon's moves: available → reserved by one order → used on payment, or returned when that order ends unpaid.</summary>
public sealed class CouponStateTests
{
    private static readonly DateTimeOffset Claimed = OrderBuilder.DefaultNow;

    private static Coupon Fresh() => new CampaignBuilder().Coupon(claimedAt: Claimed);

    [Fact]
    public void Reserve_Available_ReservedByThatOrder()
    {
        var coupon = Fresh();
        coupon.Reserve("WS1", Claimed.AddHours(1));
        Assert.Equal((CouponState.Reserved, "WS1"), (coupon.State, coupon.OrderNo));
        Assert.Equal("reserved", coupon.DisplayState(Claimed.AddHours(1)));
    }

    [Fact]
    public void Reserve_AlreadyReservedOrUsedOrExpired_Refused()
    {
        var reserved = Fresh();
        reserved.Reserve("WS1", Claimed);
        var used = Fresh();
        used.Reserve("WS1", Claimed);
        used.Use("WS1");

        Assert.Throws<InvalidOperationException>(() => reserved.Reserve("WS2", Claimed));
        Assert.Throws<InvalidOperationException>(() => used.Reserve("WS2", Claimed));
        Assert.Throws<InvalidOperationException>(() => Fresh().Reserve("WS2", Claimed.AddDays(31)));
        Assert.Equal("WS1", reserved.OrderNo);
    }

    [Fact]
    public void Use_ReservedBySameOrder_Used_RepeatChangesNothing()
    {
        var coupon = Fresh();
        coupon.Reserve("WS1", Claimed);

        Assert.True(coupon.Use("WS1"));
        Assert.False(coupon.Use("WS1"));
        Assert.Equal(CouponState.Used, coupon.State);
    }

    [Fact]
    public void Use_OtherOrderOrNotReserved_Refused()
    {
        var coupon = Fresh();
        Assert.False(coupon.Use("WS1"));
        coupon.Reserve("WS1", Claimed);
        Assert.False(coupon.Use("WS2"));
        Assert.Equal(CouponState.Reserved, coupon.State);
    }

    [Fact]
    public void Return_ByHoldingOrder_AvailableAgain_OtherOrderCannot()
    {
        var coupon = Fresh();
        coupon.Reserve("WS1", Claimed);

        Assert.False(coupon.Return("WS2"));
        Assert.True(coupon.Return("WS1"));
        Assert.False(coupon.Return("WS1"));
        Assert.Equal((CouponState.Available, (string?)null), (coupon.State, coupon.OrderNo));
    }

    [Fact]
    public void Return_UsedByTheOrder_AvailableAgain()
    {
        // A fully refunded order gives its coupon back, even once used.
        var coupon = Fresh();
        coupon.Reserve("WS1", Claimed);
        coupon.Use("WS1");

        Assert.True(coupon.Return("WS1"));
        Assert.Equal(CouponState.Available, coupon.State);
    }

    [Fact]
    public void DisplayState_FromTheClock_NotYetValidAvailableExpired()
    {
        var coupon = new CampaignBuilder().ValidBetween(Claimed.AddDays(1), Claimed.AddDays(2)).Coupon(claimedAt: Claimed);

        Assert.Equal("notYetValid", coupon.DisplayState(Claimed));
        Assert.Equal("available", coupon.DisplayState(Claimed.AddDays(1.5)));
        Assert.Equal("expired", coupon.DisplayState(Claimed.AddDays(3)));
        Assert.Equal("not valid yet", coupon.RefusalAt(Claimed));
        Assert.Equal("expired", coupon.RefusalAt(Claimed.AddDays(3)));
    }

    [Fact]
    public void Campaign_RefusalAt_PausedOutsideWindowOrSoldOut()
    {
        var campaign = new CampaignBuilder().ClaimableBetween(Claimed, Claimed.AddDays(1)).Stock(1).Build();

        Assert.Null(campaign.RefusalAt(Claimed.AddHours(1)));
        Assert.NotNull(campaign.RefusalAt(Claimed.AddDays(2)));
        campaign.Pause();
        Assert.NotNull(campaign.RefusalAt(Claimed.AddHours(1)));
        campaign.Resume();
        Assert.Null(campaign.RefusalAt(Claimed.AddHours(1)));
    }
}
