using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using WeStore.LocalHost.Invocation;
using WeStore.LocalHost.Metadata;

namespace WeStore.LocalHost.Http;

/// <summary>Serves each HTTP trigger at <c>/{routePrefix}/{route}</c> with its methods and key check.</summary>
internal static class HttpTriggerEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, IEnumerable<FunctionInvoker> invokers, HostJsonSettings settings, FunctionKeys keys, ILogger logger)
    {
        foreach (var invoker in invokers.Where(i => i.Definition.Kind == TriggerKind.Http))
        {
            var http = invoker.Definition.Http!;
            var pattern = "/" + string.Join('/', new[] { settings.RoutePrefix, http.Route.Trim('/') }.Where(s => s.Length > 0));
            var requiresKey = FunctionKeys.RequiresKey(http.AuthLevel);
            RequestDelegate handler = context => HandleAsync(context, invoker, requiresKey, keys, logger);
            var builder = http.Methods.Count == 0 ? endpoints.Map(pattern, handler) : endpoints.MapMethods(pattern, http.Methods, handler);
            builder.WithDisplayName(invoker.Definition.Name);
        }
    }

    private static async Task HandleAsync(HttpContext context, FunctionInvoker invoker, bool requiresKey, FunctionKeys keys, ILogger logger)
    {
        if (requiresKey && !keys.IsAuthorized(context.Request))
        {
            await ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, "A function key is required.");
            return;
        }

        try
        {
            var result = await invoker.InvokeAsync(new InvocationContext
            {
                Services = context.RequestServices,
                Http = context,
                CancellationToken = context.RequestAborted,
            });
            await FunctionInvoker.WriteResultAsync(context, result);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is no one to answer.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Function {FunctionName} failed", invoker.Definition.Name);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ProblemWriter.WriteAsync(context, StatusCodes.Status500InternalServerError, "The function failed.");
            }
        }
    }
}
