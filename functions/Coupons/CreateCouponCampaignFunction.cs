using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Domain.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>POST /api/manage/coupons/campaigns</c> (function key) → 201 with the campaign.</summary>
public sealed class CreateCouponCampaignFunction(CampaignAdministration coupons, IValidator<CreateCampaignRequest> validator, TimeProvider time, ILogger<CreateCouponCampaignFunction> logger)
{
    [Function(nameof(CreateCouponCampaignFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "manage/coupons/campaigns")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(CreateCouponCampaignFunction), async () =>
        {
            var ct = request.HttpContext.RequestAborted;
            var body = await JsonBody.ReadAsync(request, validator, ct);
            if (body.Problem is not null) return body.Problem;
            var result = await coupons.CreateAsync(body.Value!.ToCampaign(body.Value.Id ?? CampaignAdministration.NewCampaignId(), time.GetUtcNow()), RequestCancellation.Writes);
            return result.ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created });
        });
}
