using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>GET /api/coupons/campaigns</c> (member): campaigns claimable by hand right now.</summary>
public sealed class ListClaimableCampaignsFunction(MemberAuthenticator authenticator, CampaignAdministration coupons, ILogger<ListClaimableCampaignsFunction> logger)
{
    [Function(nameof(ListClaimableCampaignsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coupons/campaigns")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, logger, nameof(ListClaimableCampaignsFunction), async (_, ct) =>
            new OkObjectResult(new { campaigns = await coupons.ListClaimableAsync(ct) }));
}
