using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary><c>GET /api/manage/flows</c> (operator): Every flow, newest first: id, name, trigger, steps, created.</summary>
public sealed class ListFlowsFunction(FlowService flows, ILogger<ListFlowsFunction> logger)
{
    [Function(nameof(ListFlowsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/flows")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListFlowsFunction), async () => new OkObjectResult(await flows.ListAsync(request.HttpContext.RequestAborted)));
}
