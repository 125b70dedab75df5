using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary><c>GET /api/manage/broadcasts</c> (operator): The broadcasts of the last 92 days, newest first.</summary>
public sealed class ListBroadcastsFunction(BroadcastService broadcasts, ILogger<ListBroadcastsFunction> logger)
{
    [Function(nameof(ListBroadcastsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/broadcasts")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListBroadcastsFunction), async () => new OkObjectResult(await broadcasts.ListAsync(request.HttpContext.RequestAborted)));
}
