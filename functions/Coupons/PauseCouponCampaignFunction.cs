using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>POST /api/manage/coupons/campaigns/{campaignId}/pause</c> (function key): claims stop; issued coupons stay valid.</summary>
public sealed class PauseCouponCampaignFunction(CampaignAdministration coupons, ILogger<PauseCouponCampaignFunction> logger)
{
    [Function(nameof(PauseCouponCampaignFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/coupons/campaigns/{campaignId}/pause")] HttpRequest request, string campaignId)
        => Routes.OperatorAsync(request, logger, nameof(PauseCouponCampaignFunction), async () =>
            (await coupons.SetPausedAsync(campaignId, paused: true, RequestCancellation.Writes)).ToActionResult(v => new OkObjectResult(v)));
}
