using Microsoft.AspNetCore.Mvc;

namespace WeStore.Functions.Infrastructure;

/// <summary>RFC 9457 problem responses, the one error shape of every route.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult Create(int status, string title, string? detail = null, string? type = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = type ?? $"https://httpstatuses.io/{status}",
        };
        return new ObjectResult(problem) { StatusCode = status, ContentTypes = { ContentType } };
    }

    public static ObjectResult Validation(IDictionary<string, string[]> errors, string? detail = null)
    {
        var problem = new ValidationProblemDetails(errors)
        {
            Status = 400,
            Title = "The request is invalid.",
            Detail = detail,
            Type = "https://httpstatuses.io/400",
        };
        return new ObjectResult(problem) { StatusCode = 400, ContentTypes = { ContentType } };
    }

    public static ObjectResult ServiceUnavailable(string title, TimeSpan retryAfter)
        => new RetryAfterResult(Create(503, title), retryAfter);

    public static ObjectResult WithRetryAfter(ObjectResult problem, TimeSpan retryAfter) => new RetryAfterResult(problem, retryAfter);

    /// <summary>An ObjectResult that also sets Retry-After, for 429 and 503.</summary>
    private sealed class RetryAfterResult : ObjectResult
    {
        private readonly TimeSpan _retryAfter;

        public RetryAfterResult(ObjectResult inner, TimeSpan retryAfter) : base(inner.Value)
        {
            StatusCode = inner.StatusCode;
            ContentTypes = inner.ContentTypes;
            _retryAfter = retryAfter;
        }

        public override Task ExecuteResultAsync(ActionContext context)
        {
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(_retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return base.ExecuteResultAsync(context);
        }
    }
}
