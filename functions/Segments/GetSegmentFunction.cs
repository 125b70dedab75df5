using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary><c>GET /api/manage/segments/{id}</c> (function key): the rules, <c>size</c> (exact), whether the back-fill is done, and the daily sizes.</summary>
public sealed class GetSegmentFunction(SegmentService segments, ILogger<GetSegmentFunction> logger)
{
    [Function(nameof(GetSegmentFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/segments/{id}")] HttpRequest request, string id)
        => Routes.OperatorAsync(request, logger, nameof(GetSegmentFunction), async () => !SegmentIds.IsValid(id)
            ? Problems.Create(StatusCodes.Status404NotFound, "No segment has that id.")
            : (await segments.GetAsync(id, request.HttpContext.RequestAborted)).ToActionResult(view => new OkObjectResult(view)));
}
