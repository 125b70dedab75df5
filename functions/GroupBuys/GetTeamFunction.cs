using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.GroupBuys;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.GroupBuys;

/// <summary><c>GET /api/teams/{teamId}</c> (public, for the share card): seats taken, time left, members masked.</summary>
public sealed class GetTeamFunction(GroupBuyService groupBuys, ILogger<GetTeamFunction> logger)
{
    [Function(nameof(GetTeamFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "teams/{teamId}")] HttpRequest request, string teamId)
        => FunctionGuard.RunAsync(logger, nameof(GetTeamFunction), async () =>
            (await groupBuys.GetTeamAsync(teamId, request.HttpContext.RequestAborted)).ToActionResult(view => new OkObjectResult(view)));
}
