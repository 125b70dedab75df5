using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>POST /api/manage/coupons/campaigns/{campaignId}/codes</c> (function key) <c>{count}</c>: unguessable, single-use exchange codes.</summary>
public sealed class GenerateCouponCodesFunction(CampaignAdministration coupons, IValidator<GenerateCodesRequest> validator, ILogger<GenerateCouponCodesFunction> logger)
{
    [Function(nameof(GenerateCouponCodesFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/coupons/campaigns/{campaignId}/codes")] HttpRequest request, string campaignId)
        => Routes.WithBodyAsync(request, validator, logger, nameof(GenerateCouponCodesFunction), async body =>
            (await coupons.GenerateCodesAsync(campaignId, body.Count!.Value, RequestCancellation.Writes))
                .ToActionResult(codes => new ObjectResult(new { campaignId, codes }) { StatusCode = StatusCodes.Status201Created }));
}
