using FluentValidation.TestHelper;
using WeStore.Functions.Auth;

namespace WeStore.UnitTests.Functions.Auth;

public sealed class AuthRequestValidatorTests
{
    [Theory]
    [InlineData("0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P")]
    [InlineData("x")]
    public void LoginRequestValidator_ValidCode_NoErrors(string code)
        => new LoginRequestValidator().TestValidate(new LoginRequest(code)).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("中文")]
    public void LoginRequestValidator_BadCode_ErrorOnCode(string? code)
        => new LoginRequestValidator().TestValidate(new LoginRequest(code)).ShouldHaveValidationErrorFor(r => r.Code);

    [Fact]
    public void LoginRequestValidator_129Characters_ErrorOnCode()
        => new LoginRequestValidator().TestValidate(new LoginRequest(new string('a', 129))).ShouldHaveValidationErrorFor(r => r.Code);

    [Fact]
    public void PhoneNumberRequestValidator_SameRules()
    {
        var validator = new PhoneNumberRequestValidator();
        validator.TestValidate(new PhoneNumberRequest("abc")).ShouldNotHaveAnyValidationErrors();
        validator.TestValidate(new PhoneNumberRequest(new string('a', 129))).ShouldHaveValidationErrorFor(r => r.Code);
    }
}
