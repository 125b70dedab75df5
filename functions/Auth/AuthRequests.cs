using FluentValidation;

namespace WeStore.Functions.Auth;

/// <summary><c>POST /api/auth/login</c>: the code from <c>wx.login</c>.</summary>
public sealed record LoginRequest(string? Code);

/// <summary><c>POST /api/auth/phone</c>: the code from a <c>getPhoneNumber</c> button.</summary>
public sealed record PhoneNumberRequest(string? Code);

public sealed class LoginRequestValidator : AbstractValidator<LoginRequest>
{
    public LoginRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Code).WeChatCode();
    }
}

public sealed class PhoneNumberRequestValidator : AbstractValidator<PhoneNumberRequest>
{
    public PhoneNumberRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Code).WeChatCode();
    }
}

public static class WeChatCodeRules
{
    public const int MaxLength = 128;

    /// <summary>A one-time code from WeChat: present, at most 128 visible ASCII characters, checked before any call.</summary>
    public static IRuleBuilderOptions<T, string?> WeChatCode<T>(this IRuleBuilder<T, string?> rule)
        => rule
            .NotEmpty().WithMessage("code is required.")
            .MaximumLength(MaxLength).WithMessage($"code must be at most {MaxLength} characters.")
            .Must(c => c is null || c.All(ch => ch is > ' ' and <= '~')).WithMessage("code may hold only visible ASCII characters.");
}
