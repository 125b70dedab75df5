using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary><c>GET /api/manage/segments</c> (operator): Every segment, newest first: id, name, rules, created.</summary>
public sealed class ListSegmentsFunction(SegmentService segments, ILogger<ListSegmentsFunction> logger)
{
    [Function(nameof(ListSegmentsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/segments")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListSegmentsFunction), async () => new OkObjectResult(await segments.ListAsync(request.HttpContext.RequestAborted)));
}
