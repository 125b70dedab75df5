using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>GET /api/manage/coupons/campaigns</c> (operator): every campaign, newest first (claimed totals on each campaign's own view).</summary>
public sealed class ListCouponCampaignsFunction(CampaignAdministration campaigns, ILogger<ListCouponCampaignsFunction> logger)
{
    [Function(nameof(ListCouponCampaignsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/coupons/campaigns")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListCouponCampaignsFunction), async () => new OkObjectResult(await campaigns.ListAsync(request.HttpContext.RequestAborted)));
}
