using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>POST /api/manage/coupons/campaigns</c> (function key) → 201 with the campaign.</summary>
public sealed class CreateCouponCampaignFunction(CampaignAdministration coupons, IValidator<CreateCampaignRequest> validator, TimeProvider time, ILogger<CreateCouponCampaignFunction> logger)
{
    [Function(nameof(CreateCouponCampaignFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/coupons/campaigns")] HttpRequest request)
        => Routes.WithBodyAsync(request, validator, logger, nameof(CreateCouponCampaignFunction), async body =>
            (await coupons.CreateAsync(body.ToCampaign(body.Id ?? CampaignAdministration.NewCampaignId(), time.GetUtcNow()), RequestCancellation.Writes))
                .ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created }));
}
