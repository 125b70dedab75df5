using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary><c>GET /api/manage/flows/{id}</c> (function key): entered, running, stopped by reason, finished, and purchases within 7 days of entering with their GMV.</summary>
public sealed class GetFlowFunction(FlowService flows, ILogger<GetFlowFunction> logger)
{
    [Function(nameof(GetFlowFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/flows/{id}")] HttpRequest request, string id)
        => Routes.OperatorAsync(request, logger, nameof(GetFlowFunction), async () => !SegmentIds.IsValid(id)
            ? Problems.Create(StatusCodes.Status404NotFound, "No flow has that id.")
            : (await flows.GetAsync(id, request.HttpContext.RequestAborted)).ToActionResult(view => new OkObjectResult(view)));
}
