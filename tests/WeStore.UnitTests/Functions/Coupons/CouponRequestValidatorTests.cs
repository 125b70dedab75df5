using FluentValidation.TestHelper;
using WeStore.Functions.Coupons;

namespace WeStore.UnitTests.Functions.Coupons;

public sealed class CouponRequestValidatorTests
{
    private static CreateCampaignRequest Campaign(
        string? type = "fixed", long? amountOff = 500, int? percentOff = null, long? maxDiscount = null, long? minSpend = null, int? validDays = 30,
        DateTimeOffset? validFrom = null, DateTimeOffset? validTo = null, int? totalStock = 100, int? perMemberLimit = 1, string? issueOn = "claim",
        string? id = null, string? name = "立减券", DateTimeOffset? claimFrom = null, DateTimeOffset? claimTo = null)
        => new(id, name, type, amountOff, percentOff, maxDiscount, minSpend, null, validFrom, validTo, validDays, claimFrom, claimTo, totalStock, perMemberLimit, issueOn);

    private static readonly CreateCampaignRequestValidator Validator = new();

    [Fact]
    public void CreateCampaign_FixedWithValidDays_Valid() => Validator.TestValidate(Campaign()).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void CreateCampaign_PercentWithCap_Valid()
        => Validator.TestValidate(Campaign(type: "percent", amountOff: null, percentOff: 15, maxDiscount: 3000)).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void CreateCampaign_PercentWithoutCap_MaxDiscountRequired()
        => Validator.TestValidate(Campaign(type: "percent", amountOff: null, percentOff: 15)).ShouldHaveValidationErrorFor(r => r.MaxDiscount);

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void CreateCampaign_PercentOutOfRange_Refused(int percent)
        => Validator.TestValidate(Campaign(type: "percent", amountOff: null, percentOff: percent, maxDiscount: 100)).ShouldHaveValidationErrorFor(r => r.PercentOff);

    [Fact]
    public void CreateCampaign_ThresholdAmountNotBelowMinSpend_Refused()
        => Validator.TestValidate(Campaign(type: "threshold", amountOff: 1000, minSpend: 1000)).ShouldHaveValidationErrorFor("amountOff");

    [Fact]
    public void CreateCampaign_BothValidityForms_Refused()
        => Validator.TestValidate(Campaign(validTo: DateTimeOffset.UtcNow.AddDays(1))).ShouldHaveValidationErrorFor("validTo");

    [Fact]
    public void CreateCampaign_ClaimWindowBackwards_Refused()
        => Validator.TestValidate(Campaign(claimFrom: DateTimeOffset.UtcNow, claimTo: DateTimeOffset.UtcNow.AddHours(-1))).ShouldHaveValidationErrorFor("claimTo");

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData(null)]
    public void CreateCampaign_UnknownType_Refused(string? type) => Validator.TestValidate(Campaign(type: type)).ShouldHaveValidationErrorFor(r => r.Type);

    [Theory]
    [InlineData("auto")]
    [InlineData(null)]
    public void CreateCampaign_UnknownIssueOn_Refused(string? issueOn) => Validator.TestValidate(Campaign(issueOn: issueOn)).ShouldHaveValidationErrorFor(r => r.IssueOn);

    [Theory]
    [InlineData(0)]
    [InlineData(10_000_001)]
    public void CreateCampaign_StockOutOfRange_Refused(int stock) => Validator.TestValidate(Campaign(totalStock: stock)).ShouldHaveValidationErrorFor(r => r.TotalStock);

    [Theory]
    [InlineData("index")]
    [InlineData("a b")]
    [InlineData("x' or PartitionKey ne 'x")]
    public void CreateCampaign_BadOrReservedId_Refused(string id) => Validator.TestValidate(Campaign(id: id)).ShouldHaveValidationErrorFor(r => r.Id);

    [Fact]
    public void CreateCampaign_ControlCharactersInName_Refused() => Validator.TestValidate(Campaign(name: "券\u001b[31m")).ShouldHaveValidationErrorFor(r => r.Name);

    [Theory]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(0, false)]
    [InlineData(1001, false)]
    public void GenerateCodes_Count(int count, bool valid)
        => Assert.Equal(valid, new GenerateCodesRequestValidator().TestValidate(new GenerateCodesRequest(count)).IsValid);

    [Fact]
    public void GenerateCodes_Missing_Refused() => new GenerateCodesRequestValidator().TestValidate(new GenerateCodesRequest(null)).ShouldHaveValidationErrorFor(r => r.Count);

    [Theory]
    [InlineData("c1-ABCDEFGHJKLM", true)]
    [InlineData("", false)]
    [InlineData("c1 ABC", false)]
    [InlineData("c1-码", false)]
    public void RedeemCode_Shape(string code, bool valid)
        => Assert.Equal(valid, new RedeemCodeRequestValidator().TestValidate(new RedeemCodeRequest(code)).IsValid);

    [Fact]
    public void RedeemCode_TooLong_Refused() => new RedeemCodeRequestValidator().TestValidate(new RedeemCodeRequest(new string('A', 81))).ShouldHaveValidationErrorFor(r => r.Code);
}
