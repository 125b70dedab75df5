using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>POST /api/manage/coupons/campaigns/{campaignId}/resume</c> (function key).</summary>
public sealed class ResumeCouponCampaignFunction(CampaignAdministration coupons, ILogger<ResumeCouponCampaignFunction> logger)
{
    [Function(nameof(ResumeCouponCampaignFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/coupons/campaigns/{campaignId}/resume")] HttpRequest request, string campaignId)
        => Routes.OperatorAsync(request, logger, nameof(ResumeCouponCampaignFunction), async () =>
            (await coupons.SetPausedAsync(campaignId, paused: false, RequestCancellation.Writes)).ToActionResult(v => new OkObjectResult(v)));
}
