using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace WeStore.Functions.Infrastructure;

/// <summary>A parsed, validated body, or the problem to answer instead.</summary>
public readonly record struct Body<T>(T? Value, IActionResult? Problem)
    where T : class;

/// <summary>
/// Reads a JSON body the same way on every route: <c>application/json</c> only (415), at most 64 KiB (413), no
/// duplicate keys and strict types (400), then the body's validator (400 with field errors).
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = RequestBody.MaxBytes;

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowDuplicateProperties = false,
        MaxDepth = 32,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static async Task<Body<T>> ReadAsync<T>(HttpRequest request, IValidator<T> validator, CancellationToken cancellationToken)
        where T : class
    {
        var mediaType = request.ContentType is { } ct ? ct.Split(';')[0].Trim() : null;
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return new(null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "The body must be application/json."));
        }

        var bytes = await RequestBody.ReadBoundedAsync(request, cancellationToken);
        if (bytes is null)
        {
            return new(null, TooLarge());
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(bytes, Options);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? string.Empty : $" at {e.Path}";
            return new(null, Problems.Create(StatusCodes.Status400BadRequest, "The body is not valid JSON for this route.", $"Malformed or wrongly typed JSON{where}."));
        }

        if (value is null)
        {
            return new(null, Problems.Create(StatusCodes.Status400BadRequest, "The body must be a JSON object."));
        }

        var validation = await validator.ValidateAsync(value, cancellationToken);
        if (!validation.IsValid)
        {
            var errors = validation.Errors
                .GroupBy(e => JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
            return new(null, Problems.Validation(errors));
        }

        return new(value, null);
    }

    private static ObjectResult TooLarge()
        => Problems.Create(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"At most {MaxBytes} bytes are accepted.");
}
