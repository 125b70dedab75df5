using FluentValidation.TestHelper;
using WeStore.Functions.Attribution;

namespace WeStore.UnitTests.Functions.Attribution;

public sealed class AttributionRequestValidatorTests
{
    private static CreateQrCodeRequest Code(string? scene = "shelf-01", string? channel = "shelf", string? page = "pages/index/index", string? staffId = null, int? width = null)
        => new(scene, "货架码", channel, "上海店", page, null, staffId, null, null, width);

    [Fact]
    public void CreateQrCode_Valid_NoErrors() => new CreateQrCodeRequestValidator().TestValidate(Code()).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void CreateQrCode_NoScene_Valid() => new CreateQrCodeRequestValidator().TestValidate(Code(scene: null)).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData("a%2F")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("a?b")]
    [InlineData("码")]
    [InlineData("rf_abcdefghijklmnop")]
    public void CreateQrCode_BadScene_Error(string scene) => new CreateQrCodeRequestValidator().TestValidate(Code(scene)).ShouldHaveValidationErrorFor(r => r.Scene);

    [Theory]
    [InlineData("tv")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Packaging")]
    public void CreateQrCode_BadChannel_Error(string? channel) => new CreateQrCodeRequestValidator().TestValidate(Code(channel: channel)).ShouldHaveValidationErrorFor(r => r.Channel);

    [Theory]
    [InlineData("/pages/index/index")]
    [InlineData("pages/index/index?x=1")]
    [InlineData("pages/../secret")]
    [InlineData("")]
    public void CreateQrCode_BadPage_Error(string page) => new CreateQrCodeRequestValidator().TestValidate(Code(page: page)).ShouldHaveValidationErrorFor(r => r.Page);

    [Fact]
    public void CreateQrCode_StaffChannelWithoutStaffId_Error()
        => new CreateQrCodeRequestValidator().TestValidate(Code(channel: "staff")).ShouldHaveValidationErrorFor(r => r.StaffId);

    [Theory]
    [InlineData(279)]
    [InlineData(1281)]
    public void CreateQrCode_WidthOutOfRange_Error(int width) => new CreateQrCodeRequestValidator().TestValidate(Code(width: width)).ShouldHaveValidationErrorFor(r => r.Width);

    [Fact]
    public void RecordScan_Valid_NoErrors() => new RecordScanRequestValidator().TestValidate(new RecordScanRequest("q%3Dabc", 1047, "pages/index/index")).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData(null, 1047)]
    [InlineData("", 1047)]
    [InlineData("abc", 999)]
    [InlineData("abc", 10000)]
    [InlineData("abc", null)]
    public void RecordScan_MissingOrOutOfRange_Error(string? scene, int? entryScene)
        => Assert.False(new RecordScanRequestValidator().TestValidate(new RecordScanRequest(scene, entryScene, null)).IsValid);

    [Fact]
    public void RecordScan_SceneOver128_Error()
        => new RecordScanRequestValidator().TestValidate(new RecordScanRequest(new string('a', 129), 1047, null)).ShouldHaveValidationErrorFor(r => r.Scene);
}
