using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Referrals;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Referrals;

/// <summary><c>POST /api/me/referral-code</c> (member): the member's share scene and card path, made once (a repeat answers the same).</summary>
public sealed class CreateReferralCodeFunction(MemberAuthenticator authenticator, ReferralService referrals, ILogger<CreateReferralCodeFunction> logger)
{
    [Function(nameof(CreateReferralCodeFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/referral-code")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, logger, nameof(CreateReferralCodeFunction), async (session, _) =>
            new OkObjectResult(await referrals.CodeAsync(session, RequestCancellation.Writes)));
}
