using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.GroupBuys;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.GroupBuys;

/// <summary><c>POST /api/group-buys/{id}/teams</c> (member, Idempotency-Key): opens a team with the member's order → 201 <c>{teamId, orderNo, payment, …}</c>.</summary>
public sealed class OpenTeamFunction(MemberAuthenticator authenticator, GroupBuyService groupBuys, IValidator<TeamSeatRequest> validator, ILogger<OpenTeamFunction> logger)
{
    [Function(nameof(OpenTeamFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "group-buys/{id}/teams")] HttpRequest request, string id)
        => Routes.MemberCreateOnceAsync(request, authenticator, validator, logger, nameof(OpenTeamFunction),
            (session, key, body) => groupBuys.OpenTeamAsync(session, id, key, body.Address!.ToAddress(), RequestCancellation.Writes));
}
