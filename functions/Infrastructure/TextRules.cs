using FluentValidation;
using WeStore.Domain.Catalog;

namespace WeStore.Functions.Infrastructure;

/// <summary>Rules shared by the inbound bodies' validators.</summary>
public static class TextRules
{
    /// <summary>Printable text: no control characters (they break logs, CSV exports and WeChat templates).</summary>
    public static bool IsPrintable(string? text) => text is null || !text.Any(char.IsControl);

    public static IRuleBuilderOptions<T, string?> Printable<T>(this IRuleBuilder<T, string?> rule, int maxLength)
        => rule.MaximumLength(maxLength).Must(IsPrintable).WithMessage("{PropertyName} may not hold control characters.");

    public static IRuleBuilderOptions<T, string?> RequiredPrintable<T>(this IRuleBuilder<T, string?> rule, int maxLength)
        => rule.NotEmpty().Printable(maxLength);

    /// <summary>An id that becomes a storage key: letters, digits, '-' and '_', at most 64.</summary>
    public static IRuleBuilderOptions<T, string?> Id<T>(this IRuleBuilder<T, string?> rule)
        => rule.NotEmpty().Must(CatalogRules.IsValidId).WithMessage("{PropertyName} may hold only letters, digits, '-' and '_' (at most 64).");

    public static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule)
        => rule.MaximumLength(500).Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            .WithMessage("{PropertyName} must be an absolute http(s) URL.");
}
