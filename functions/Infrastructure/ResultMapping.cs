using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using WeStore.Domain.Common;

namespace WeStore.Functions.Infrastructure;

public static class ResultMapping
{
    public static IActionResult ToActionResult<T>(this Result<T> result, Func<T, IActionResult> onSuccess)
        => result.IsSuccess ? onSuccess(result.Value!) : result.Error!.ToProblem();

    public static ObjectResult ToProblem(this Error error)
    {
        var status = error.Kind switch
        {
            ErrorKind.Invalid => StatusCodes.Status400BadRequest,
            ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
            ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        var problem = Problems.Create(status, error.Message, type: $"https://westore.dev/problems/{error.Code}");
        return error.RetryAfter is { } retryAfter ? Problems.WithRetryAfter(problem, retryAfter) : problem;
    }
}
