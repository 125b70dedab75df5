using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.GroupBuys;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.GroupBuys;

/// <summary><c>GET /api/group-buys/{id}</c> (public): the group-buy's terms, for its product page.</summary>
public sealed class GetGroupBuyFunction(GroupBuyService groupBuys, ILogger<GetGroupBuyFunction> logger)
{
    [Function(nameof(GetGroupBuyFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "group-buys/{id}")] HttpRequest request, string id)
        => FunctionGuard.RunAsync(logger, nameof(GetGroupBuyFunction), async () =>
            (await groupBuys.GetAsync(id, request.HttpContext.RequestAborted)).ToActionResult(view => new OkObjectResult(view)));
}
