using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Domain.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>POST /api/coupons/campaigns/{campaignId}/claim</c> (member) → 201 with the coupon; 409 when out of stock or at the limit.</summary>
public sealed class ClaimCouponFunction(MemberAuthenticator authenticator, CouponIssuance coupons, ILogger<ClaimCouponFunction> logger)
{
    [Function(nameof(ClaimCouponFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coupons/campaigns/{campaignId}/claim")] HttpRequest request, string campaignId)
        => Routes.MemberAsync(request, authenticator, logger, nameof(ClaimCouponFunction), async (session, _) =>
        {
            if (!CatalogRules.IsValidId(campaignId)) return Problems.Create(StatusCodes.Status404NotFound, "No such campaign.");
            var result = await coupons.ClaimAsync(session, campaignId, RequestCancellation.Writes);
            return result.ToActionResult(coupon => new ObjectResult(coupon) { StatusCode = StatusCodes.Status201Created });
        });
}
