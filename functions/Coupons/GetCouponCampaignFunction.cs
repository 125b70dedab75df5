using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Domain.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>GET /api/manage/coupons/campaigns/{campaignId}</c> (function key).</summary>
public sealed class GetCouponCampaignFunction(CampaignAdministration coupons, ILogger<GetCouponCampaignFunction> logger)
{
    [Function(nameof(GetCouponCampaignFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/coupons/campaigns/{campaignId}")] HttpRequest request, string campaignId)
        => Routes.OperatorAsync(request, logger, nameof(GetCouponCampaignFunction), async () =>
            !CatalogRules.IsValidId(campaignId)
                ? Problems.Create(StatusCodes.Status404NotFound, "No such campaign.")
                : (await coupons.GetAsync(campaignId, request.HttpContext.RequestAborted)).ToActionResult(v => new OkObjectResult(v)));
}
