using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WeStore.Storage;

namespace WeStore.Functions.Health;

public sealed class GetHealthFunction(IStorageHealth storage)
{
    private static readonly string Version =
        typeof(GetHealthFunction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    [Function(nameof(GetHealthFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var reachable = await storage.IsReachableAsync(request.HttpContext.RequestAborted);
        var body = new HealthResponse(reachable ? "healthy" : "unhealthy", Version, new HealthChecks(reachable ? "reachable" : "unreachable"));
        if (!reachable)
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
        }

        return new ObjectResult(body) { StatusCode = reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}

public sealed record HealthResponse(string Status, string Version, HealthChecks Checks);

public sealed record HealthChecks(string Storage);
