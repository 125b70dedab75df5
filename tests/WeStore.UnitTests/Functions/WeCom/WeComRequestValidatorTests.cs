using FluentValidation.TestHelper;
using WeStore.Functions.WeCom;

namespace WeStore.UnitTests.Functions.WeCom;

public sealed class WeComRequestValidatorTests
{
    private static CreateContactWayRequest Way(
        string? channel = "packaging", IReadOnlyList<string?>? staff = null, WelcomeRequest? welcome = null, string? name = "包装码", string? campaign = null)
        => new(name, channel, staff ?? ["staff.li"], campaign, welcome ?? new WelcomeRequest("欢迎！领取首单券", "进店看看", "pages/index/index"), null);

    private static readonly CreateContactWayRequestValidator Validator = new();

    [Fact]
    public void Create_Valid_NoErrors() => Validator.TestValidate(Way()).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Create_TextOnlyWelcome_Valid() => Validator.TestValidate(Way(welcome: new WelcomeRequest("hi", null, null))).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData("tv")]
    [InlineData(null)]
    public void Create_BadChannel_Error(string? channel) => Validator.TestValidate(Way(channel: channel)).ShouldHaveValidationErrorFor(r => r.Channel);

    [Fact]
    public void Create_NoStaff_Error() => Validator.TestValidate(Way(staff: [])).ShouldHaveValidationErrorFor(r => r.StaffUserIds);

    [Fact]
    public void Create_101Staff_Error() => Validator.TestValidate(Way(staff: [.. Enumerable.Range(0, 101).Select(i => (string?)("s" + i))])).ShouldHaveValidationErrorFor(r => r.StaffUserIds);

    [Theory]
    [InlineData("a b")]
    [InlineData("<script>")]
    [InlineData(null)]
    public void Create_BadStaffId_Error(string? id) => Validator.TestValidate(Way(staff: [id])).ShouldHaveValidationErrorFor(r => r.StaffUserIds);

    [Fact]
    public void Create_RepeatedStaff_Error() => Validator.TestValidate(Way(staff: ["a", "a"])).ShouldHaveValidationErrorFor(r => r.StaffUserIds);

    [Fact]
    public void Create_NoWelcome_Error() => Validator.TestValidate(new CreateContactWayRequest("n", "shelf", ["a"], null, null, null)).ShouldHaveValidationErrorFor(r => r.Welcome);

    [Fact]
    public void Create_TextOver4000Bytes_Error()
        => Validator.TestValidate(Way(welcome: new WelcomeRequest(new string('欢', 1334), null, null))).ShouldHaveValidationErrorFor("welcome.text");

    [Fact]
    public void Create_TitleOver64Bytes_Error()
        => Validator.TestValidate(Way(welcome: new WelcomeRequest("hi", new string('题', 22), "pages/index/index"))).ShouldHaveValidationErrorFor("welcome.miniProgramTitle");

    [Fact]
    public void Create_CardWithoutPage_Error() => Validator.TestValidate(Way(welcome: new WelcomeRequest("hi", "title", null))).ShouldHaveValidationErrorFor(r => r.Welcome);

    [Theory]
    [InlineData("/pages/index")]
    [InlineData("pages/../x")]
    [InlineData("javascript:alert(1)")]
    public void Create_BadPage_Error(string page) => Validator.TestValidate(Way(welcome: new WelcomeRequest("hi", "t", page))).ShouldHaveValidationErrorFor("welcome.miniProgramPage");

    [Fact]
    public void Create_ControlCharactersInText_Error() => Validator.TestValidate(Way(welcome: new WelcomeRequest("hi\u0000", null, null))).ShouldHaveValidationErrorFor("welcome.text");

    [Fact]
    public void Create_BadCampaignId_Error() => Validator.TestValidate(Way(campaign: "a/b")).ShouldHaveValidationErrorFor(r => r.CouponCampaignId);
}
