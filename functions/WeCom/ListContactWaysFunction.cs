using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.WeCom;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.WeCom;

/// <summary><c>GET /api/manage/contact-ways</c> (function key): every contact-me code, oldest first, deleted ones included.</summary>
public sealed class ListContactWaysFunction(ContactWayService ways, ILogger<ListContactWaysFunction> logger)
{
    [Function(nameof(ListContactWaysFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/contact-ways")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListContactWaysFunction), async () =>
            new OkObjectResult(new { contactWays = await ways.ListAsync(request.HttpContext.RequestAborted) }));
}
