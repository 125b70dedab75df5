using FluentValidation.TestHelper;
using WeStore.Functions.OfficialAccount;

namespace WeStore.UnitTests.Functions.OfficialAccount;

public sealed class OfficialAccountRequestValidatorTests
{
    private static readonly CreateFollowCodeRequestValidator Validator = new();

    [Fact]
    public void Create_Valid_NoErrors() => Validator.TestValidate(new CreateFollowCodeRequest("直播码", "live", null, 3600, null)).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Create_PermanentNoExpiry_Valid() => Validator.TestValidate(new CreateFollowCodeRequest("海报", "ad", true, null, null)).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData(59)]
    [InlineData(2_592_001)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Create_ExpiryOutOfRange_Error(int seconds) => Validator.TestValidate(new CreateFollowCodeRequest("n", "live", null, seconds, null)).ShouldHaveValidationErrorFor(r => r.ExpireSeconds);

    [Fact]
    public void Create_PermanentWithExpiry_Error() => Validator.TestValidate(new CreateFollowCodeRequest("n", "live", true, 600, null)).ShouldHaveValidationErrorFor(r => r.ExpireSeconds);

    [Theory]
    [InlineData("tv")]
    [InlineData(null)]
    public void Create_BadChannel_Error(string? channel) => Validator.TestValidate(new CreateFollowCodeRequest("n", channel, null, null, null)).ShouldHaveValidationErrorFor(r => r.Channel);

    [Fact]
    public void Create_NoName_Error() => Validator.TestValidate(new CreateFollowCodeRequest(null, "live", null, null, null)).ShouldHaveValidationErrorFor(r => r.Name);

    [Fact]
    public void Create_BadCampaign_Error() => Validator.TestValidate(new CreateFollowCodeRequest("n", "live", null, null, "a b")).ShouldHaveValidationErrorFor(r => r.CouponCampaignId);
}
