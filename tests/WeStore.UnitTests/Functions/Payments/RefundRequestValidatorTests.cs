using FluentValidation.TestHelper;
using WeStore.Functions.Payments;

namespace WeStore.UnitTests.Functions.Payments;

public sealed class RefundRequestValidatorTests
{
    private static readonly RefundOrderRequestValidator Validator = new();

    [Fact]
    public void Refund_FullWithReason_Valid() => Validator.TestValidate(new RefundOrderRequest(null, "质量问题")).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Refund_PartialWithReason_Valid() => Validator.TestValidate(new RefundOrderRequest(500, "少发一件")).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public void Refund_AmountNotPositive_Refused(long amount) => Validator.TestValidate(new RefundOrderRequest(amount, "x")).ShouldHaveValidationErrorFor(r => r.Amount);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a\u0000b")]
    public void Refund_ReasonMissingOrHostile_Refused(string? reason) => Validator.TestValidate(new RefundOrderRequest(null, reason)).ShouldHaveValidationErrorFor(r => r.Reason);

    [Fact]
    public void Refund_ReasonOver80_Refused()
        => Validator.TestValidate(new RefundOrderRequest(null, new string('退', 81))).ShouldHaveValidationErrorFor(r => r.Reason);
}
