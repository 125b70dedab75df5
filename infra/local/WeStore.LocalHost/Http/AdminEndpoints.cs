using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeStore.LocalHost.Invocation;
using WeStore.LocalHost.Metadata;

namespace WeStore.LocalHost.Http;

/// <summary>
/// <c>POST /admin/functions/{name}</c> with the master key runs a non-HTTP function now, with
/// <c>{"input": "..."}</c> as the queue message. Unlike the real host it answers once the run has finished,
/// so scripts and tests can rely on its effect.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, IReadOnlyDictionary<string, FunctionInvoker> invokers, FunctionKeys keys, ILogger logger)
    {
        // The app's storage request count (the pipeline policy's total, and by operation with the time spent), the
        // host's own (queue polling and settling), and the process's CPU time and memory, for load tools to report
        // cost per operation.
        endpoints.MapGet("/admin/host/stats", async (HttpContext context) =>
        {
            if (!keys.IsAuthorized(context.Request))
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, "The master key is required.");
                return;
            }

            var counter = context.RequestServices.GetService<WeStore.Storage.StorageRequestCounter>();
            var hostCounter = context.RequestServices.GetService<HostStorageCounter>()?.Counter;
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            await context.Response.WriteAsJsonAsync(new
            {
                storageRequests = counter?.Total ?? 0,
                cpuMilliseconds = process.TotalProcessorTime.TotalMilliseconds,
                workingSetBytes = process.WorkingSet64,
                peakWorkingSetBytes = process.PeakWorkingSet64,
                gcHeapBytes = GC.GetTotalMemory(false),
                storageFaultsInjected = context.RequestServices.GetService<WeStore.Storage.FaultInjectionPolicy>()?.Injected ?? 0,
                storageOperations = counter?.Operations,
                hostStorageRequests = hostCounter?.Total ?? 0,
                hostStorageOperations = hostCounter?.Operations,
            });
        });

        // Moves the app's clock on (the demo's days, a test's hours), when the app runs on the adjustable clock.
        endpoints.MapPost("/admin/clock", async (HttpContext context) =>
        {
            if (!keys.IsAuthorized(context.Request))
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, "The master key is required.");
                return;
            }

            if (context.RequestServices.GetService<TimeProvider>() is not AdjustableClock clock)
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status404NotFound, "The app does not run on the adjustable clock.");
                return;
            }

            if (!double.TryParse(context.Request.Query["advanceHours"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var hours)
                || hours is < 0 or > 24 * 1000)
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status400BadRequest, "advanceHours is 0 to 24000.");
                return;
            }

            clock.Advance(TimeSpan.FromHours(hours));
            await context.Response.WriteAsJsonAsync(new { now = clock.GetUtcNow(), offsetHours = clock.Offset.TotalHours });
        });

        endpoints.MapPost("/admin/functions/{name}", async (HttpContext context, string name) =>
        {
            if (!keys.IsAuthorized(context.Request))
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, "The master key is required.");
                return;
            }

            if (!invokers.TryGetValue(name, out var invoker) || invoker.Definition.Kind == TriggerKind.Http)
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status404NotFound, "No non-HTTP function has that name.");
                return;
            }

            string? input = null;
            if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                try
                {
                    using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                    if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("input", out var value))
                    {
                        input = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                    }
                }
                catch (JsonException)
                {
                    await ProblemWriter.WriteAsync(context, StatusCodes.Status400BadRequest, "The body must be JSON: {\"input\": \"...\"}.");
                    return;
                }
            }

            await using var scope = context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            try
            {
                await invoker.InvokeAsync(new InvocationContext
                {
                    Services = scope.ServiceProvider,
                    Timer = invoker.Definition.Kind == TriggerKind.Timer ? new TimerInfo { IsPastDue = false } : null,
                    QueueMessageText = input,
                    CancellationToken = context.RequestAborted,
                });
            }
            catch (Exception e)
            {
                logger.LogError(e, "Function {FunctionName} failed when run by the admin route", name);
                await ProblemWriter.WriteAsync(context, StatusCodes.Status500InternalServerError, "The function failed.");
                return;
            }

            context.Response.StatusCode = StatusCodes.Status202Accepted;
        });
    }
}
