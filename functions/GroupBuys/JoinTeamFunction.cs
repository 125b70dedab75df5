using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.GroupBuys;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.GroupBuys;

/// <summary><c>POST /api/teams/{teamId}/join</c> (member, Idempotency-Key): a seat and its order → 201; a full, closed or expired team 409.</summary>
public sealed class JoinTeamFunction(MemberAuthenticator authenticator, GroupBuyService groupBuys, IValidator<TeamSeatRequest> validator, ILogger<JoinTeamFunction> logger)
{
    [Function(nameof(JoinTeamFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "teams/{teamId}/join")] HttpRequest request, string teamId)
        => Routes.MemberCreateOnceAsync(request, authenticator, validator, logger, nameof(JoinTeamFunction),
            (session, key, body) => groupBuys.JoinAsync(session, teamId, key, body.Address!.ToAddress(), RequestCancellation.Writes));
}
