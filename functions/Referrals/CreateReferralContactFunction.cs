using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Referrals;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Referrals;

/// <summary><c>POST /api/me/referral-code/wecom</c> (member): the member's own WeCom contact-me QR (state = their share scene), made once.</summary>
public sealed class CreateReferralContactFunction(MemberAuthenticator authenticator, ReferralService referrals, ILogger<CreateReferralContactFunction> logger)
{
    [Function(nameof(CreateReferralContactFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/referral-code/wecom")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, logger, nameof(CreateReferralContactFunction), async (session, _) =>
            (await referrals.ContactCodeAsync(session, RequestCancellation.Writes)).ToActionResult(view => new OkObjectResult(view)));
}
