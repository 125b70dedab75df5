using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Domain.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>GET /api/coupons/campaigns</c> (member): campaigns claimable by hand right now.</summary>
public sealed class ListClaimableCampaignsFunction(MemberAuthenticator authenticator, CouponService coupons, ILogger<ListClaimableCampaignsFunction> logger)
{
    [Function(nameof(ListClaimableCampaignsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coupons/campaigns")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(ListClaimableCampaignsFunction), async () =>
        {
            var (_, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;
            return new OkObjectResult(new { campaigns = await coupons.ListClaimableAsync(request.HttpContext.RequestAborted) });
        });
}

/// <summary><c>POST /api/coupons/campaigns/{campaignId}/claim</c> (member) → 201 with the coupon; 409 when out of stock or at the limit.</summary>
public sealed class ClaimCouponFunction(MemberAuthenticator authenticator, CouponService coupons, ILogger<ClaimCouponFunction> logger)
{
    [Function(nameof(ClaimCouponFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coupons/campaigns/{campaignId}/claim")] HttpRequest request, string campaignId)
        => FunctionGuard.RunAsync(logger, nameof(ClaimCouponFunction), async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;
            if (!CatalogRules.IsValidId(campaignId)) return Problems.Create(StatusCodes.Status404NotFound, "No such campaign.");
            var result = await coupons.ClaimAsync(session!, campaignId, RequestCancellation.Writes);
            return result.ToActionResult(coupon => new ObjectResult(coupon) { StatusCode = StatusCodes.Status201Created });
        });
}

/// <summary><c>POST /api/coupons/redeem-code</c> (member) <c>{code}</c> → 201; a used code is 409.</summary>
public sealed class RedeemCouponCodeFunction(
    MemberAuthenticator authenticator, CouponService coupons, IValidator<RedeemCodeRequest> validator, ILogger<RedeemCouponCodeFunction> logger)
{
    [Function(nameof(RedeemCouponCodeFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coupons/redeem-code")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(RedeemCouponCodeFunction), async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;
            var ct = request.HttpContext.RequestAborted;
            var body = await JsonBody.ReadAsync(request, validator, ct);
            if (body.Problem is not null) return body.Problem;
            var result = await coupons.RedeemCodeAsync(session!, body.Value!.Code!, RequestCancellation.Writes);
            return result.ToActionResult(coupon => new ObjectResult(coupon) { StatusCode = StatusCodes.Status201Created });
        });
}

/// <summary><c>GET /api/me/coupons</c> (member): the wallet, by state; expiry is worked out from the clock.</summary>
public sealed class ListMyCouponsFunction(MemberAuthenticator authenticator, CouponService coupons, ILogger<ListMyCouponsFunction> logger)
{
    [Function(nameof(ListMyCouponsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/coupons")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(ListMyCouponsFunction), async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;
            return new OkObjectResult(await coupons.WalletAsync(session!, request.HttpContext.RequestAborted));
        });
}
