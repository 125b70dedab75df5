using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary>
/// <c>GET /api/manage/broadcasts/{id}</c> (function key): targeted, skipped by reason, sent (as WeCom reports it once
/// staff confirm), purchases within 7 days with their GMV, and each task. <c>?skipped=true</c> lists who was skipped and why.
/// </summary>
public sealed class GetBroadcastFunction(BroadcastService broadcasts, ILogger<GetBroadcastFunction> logger)
{
    [Function(nameof(GetBroadcastFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/broadcasts/{id}")] HttpRequest request, string id)
        => Routes.OperatorAsync(request, logger, nameof(GetBroadcastFunction), async () =>
        {
            if (!SegmentIds.IsValid(id)) return Problems.Create(StatusCodes.Status404NotFound, "No broadcast has that id.");
            var result = await broadcasts.GetAsync(id, request.HttpContext.RequestAborted);
            if (!result.IsSuccess || request.Query["skipped"] != "true") return result.ToActionResult(view => new OkObjectResult(view));
            return new OkObjectResult(new { result.Value!.Id, skipped = await broadcasts.SkippedAsync(id, request.HttpContext.RequestAborted) });
        });
}
