using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Referrals;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Referrals;

/// <summary><c>GET /api/me/referrals</c> (member): the members they brought (masked), with rewards pending, earned and taken back.</summary>
public sealed class ListMyReferralsFunction(MemberAuthenticator authenticator, ReferralService referrals, ILogger<ListMyReferralsFunction> logger)
{
    [Function(nameof(ListMyReferralsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/referrals")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, logger, nameof(ListMyReferralsFunction), async (session, ct) =>
            new OkObjectResult(await referrals.ListAsync(session, ct)));
}
