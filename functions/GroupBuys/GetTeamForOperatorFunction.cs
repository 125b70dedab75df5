using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.GroupBuys;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.GroupBuys;

/// <summary><c>GET /api/manage/teams/{teamId}</c> (function key): each seat's order and, for a failed team, where its refund is.</summary>
public sealed class GetTeamForOperatorFunction(GroupBuyService groupBuys, ILogger<GetTeamForOperatorFunction> logger)
{
    [Function(nameof(GetTeamForOperatorFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/teams/{teamId}")] HttpRequest request, string teamId)
        => Routes.OperatorAsync(request, logger, nameof(GetTeamForOperatorFunction), async () =>
            (await groupBuys.GetTeamForOperatorAsync(teamId, request.HttpContext.RequestAborted)).ToActionResult(view => new OkObjectResult(view)));
}
