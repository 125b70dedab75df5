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
public sealed class CreateCouponCampaignFunction(CouponService coupons, IValidator<CreateCampaignRequest> validator, TimeProvider time, ILogger<CreateCouponCampaignFunction> logger)
{
    [Function(nameof(CreateCouponCampaignFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "manage/coupons/campaigns")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(CreateCouponCampaignFunction), async () =>
        {
            var ct = request.HttpContext.RequestAborted;
            var body = await JsonBody.ReadAsync(request, validator, ct);
            if (body.Problem is not null) return body.Problem;
            var result = await coupons.CreateAsync(body.Value!.ToCampaign(body.Value.Id ?? CouponService.NewCampaignId(), time.GetUtcNow()), RequestCancellation.Writes);
            return result.ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created });
        });
}

/// <summary><c>GET /api/manage/coupons/campaigns/{campaignId}</c> (function key).</summary>
public sealed class GetCouponCampaignFunction(CouponService coupons, ILogger<GetCouponCampaignFunction> logger)
{
    [Function(nameof(GetCouponCampaignFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "manage/coupons/campaigns/{campaignId}")] HttpRequest request, string campaignId)
        => FunctionGuard.RunAsync(logger, nameof(GetCouponCampaignFunction), async () =>
            !CatalogRules.IsValidId(campaignId)
                ? Problems.Create(StatusCodes.Status404NotFound, "No such campaign.")
                : (await coupons.GetAsync(campaignId, request.HttpContext.RequestAborted)).ToActionResult(v => new OkObjectResult(v)));
}

/// <summary><c>POST /api/manage/coupons/campaigns/{campaignId}/pause</c> (function key): claims stop; issued coupons stay valid.</summary>
public sealed class PauseCouponCampaignFunction(CouponService coupons, ILogger<PauseCouponCampaignFunction> logger)
{
    [Function(nameof(PauseCouponCampaignFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "manage/coupons/campaigns/{campaignId}/pause")] HttpRequest request, string campaignId)
        => FunctionGuard.RunAsync(logger, nameof(PauseCouponCampaignFunction), async () =>
            (await coupons.SetPausedAsync(campaignId, paused: true, RequestCancellation.Writes)).ToActionResult(v => new OkObjectResult(v)));
}

/// <summary><c>POST /api/manage/coupons/campaigns/{campaignId}/resume</c> (function key).</summary>
public sealed class ResumeCouponCampaignFunction(CouponService coupons, ILogger<ResumeCouponCampaignFunction> logger)
{
    [Function(nameof(ResumeCouponCampaignFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "manage/coupons/campaigns/{campaignId}/resume")] HttpRequest request, string campaignId)
        => FunctionGuard.RunAsync(logger, nameof(ResumeCouponCampaignFunction), async () =>
            (await coupons.SetPausedAsync(campaignId, paused: false, RequestCancellation.Writes)).ToActionResult(v => new OkObjectResult(v)));
}

/// <summary><c>POST /api/manage/coupons/campaigns/{campaignId}/codes</c> (function key) <c>{count}</c>: unguessable, single-use exchange codes.</summary>
public sealed class GenerateCouponCodesFunction(CouponService coupons, IValidator<GenerateCodesRequest> validator, ILogger<GenerateCouponCodesFunction> logger)
{
    [Function(nameof(GenerateCouponCodesFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "manage/coupons/campaigns/{campaignId}/codes")] HttpRequest request, string campaignId)
        => FunctionGuard.RunAsync(logger, nameof(GenerateCouponCodesFunction), async () =>
        {
            var ct = request.HttpContext.RequestAborted;
            var body = await JsonBody.ReadAsync(request, validator, ct);
            if (body.Problem is not null) return body.Problem;
            var result = await coupons.GenerateCodesAsync(campaignId, body.Value!.Count!.Value, RequestCancellation.Writes);
            return result.ToActionResult(codes => new ObjectResult(new { campaignId, codes }) { StatusCode = StatusCodes.Status201Created });
        });
}
