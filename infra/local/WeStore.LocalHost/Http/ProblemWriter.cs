using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace WeStore.LocalHost.Http;

internal static class ProblemWriter
{
    public static Task WriteAsync(HttpContext http, int status, string title)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(
            new ProblemDetails { Status = status, Title = title, Type = $"https://httpstatuses.io/{status}" },
            (System.Text.Json.JsonSerializerOptions?)null,
            "application/problem+json");
    }
}
