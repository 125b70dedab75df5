using FluentValidation.TestHelper;
using WeStore.Functions.GroupBuys;
using WeStore.Functions.Orders;

namespace WeStore.UnitTests.Functions.GroupBuys;

public sealed class GroupBuyRequestValidatorTests
{
    private static readonly CreateGroupBuyRequestValidator Create = new();
    private static readonly TeamSeatRequestValidator Seat = new();
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static CreateGroupBuyRequest Valid() => new("sku-1", 990, 3, 24, Start, Start.AddDays(7), 2, null);

    private static AddressRequest Address() => new("张三", "13800138000", "广东省", "广州市", "海珠区", "新港中路397号", "510000");

    [Fact]
    public void Create_Valid_NoErrors() => Create.TestValidate(Valid()).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Create_TeamSizeOutOfRange_Error()
    {
        Create.TestValidate(Valid() with { TeamSize = 1 }).ShouldHaveValidationErrorFor(r => r.TeamSize);
        Create.TestValidate(Valid() with { TeamSize = 11 }).ShouldHaveValidationErrorFor(r => r.TeamSize);
    }

    [Fact]
    public void Create_TeamHoursOutOfRange_Error()
    {
        Create.TestValidate(Valid() with { TeamHours = 0 }).ShouldHaveValidationErrorFor(r => r.TeamHours);
        Create.TestValidate(Valid() with { TeamHours = 73 }).ShouldHaveValidationErrorFor(r => r.TeamHours);
    }

    [Fact]
    public void Create_EndsBeforeStartsOrTooLong_Error()
    {
        Create.TestValidate(Valid() with { EndsAt = Start }).ShouldHaveValidationErrorFor(r => r.EndsAt);
        Create.TestValidate(Valid() with { EndsAt = Start.AddDays(400) }).ShouldHaveValidationErrorFor(r => r.EndsAt);
    }

    [Fact]
    public void Create_MissingOrHostileFields_Errors()
    {
        var result = Create.TestValidate(new CreateGroupBuyRequest("<script>", null, null, null, null, null, null, null));
        result.ShouldHaveValidationErrorFor(r => r.SkuId);
        result.ShouldHaveValidationErrorFor(r => r.GroupPrice);
        result.ShouldHaveValidationErrorFor(r => r.PerMemberLimit);
    }

    [Fact]
    public void Create_NegativePriceOrStockBelowTeam_Error()
    {
        Create.TestValidate(Valid() with { GroupPrice = -1 }).ShouldHaveValidationErrorFor(r => r.GroupPrice);
        Create.TestValidate(Valid() with { Stock = 2 }).ShouldHaveValidationErrorFor(r => r.Stock);
    }

    [Fact]
    public void Seat_ValidAddress_NoErrors() => Seat.TestValidate(new TeamSeatRequest(Address())).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Seat_MissingOrBadAddress_Error()
    {
        Seat.TestValidate(new TeamSeatRequest(null)).ShouldHaveValidationErrorFor(r => r.Address);
        Assert.False(Seat.TestValidate(new TeamSeatRequest(Address() with { TelNumber = "call me" })).IsValid);
    }
}
