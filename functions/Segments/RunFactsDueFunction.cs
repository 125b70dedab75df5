using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary>
/// <c>POST /api/manage/segments/due</c> (function key): the daily facts run now, for an operator (or a demo on a moved
/// clock) who cannot wait for the timer. Running it twice only looks at today's members again.
/// </summary>
public sealed class RunFactsDueFunction(SegmentService segments, ILogger<RunFactsDueFunction> logger)
{
    [Function(nameof(RunFactsDueFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/segments/due")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(RunFactsDueFunction), async () => new OkObjectResult(await segments.RunDueAsync(RequestCancellation.Writes)));
}
