using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>POST /api/coupons/redeem-code</c> (member) <c>{code}</c> → 201; a used code is 409.</summary>
public sealed class RedeemCouponCodeFunction(
    MemberAuthenticator authenticator, CouponIssuance coupons, IValidator<RedeemCodeRequest> validator, ILogger<RedeemCouponCodeFunction> logger)
{
    [Function(nameof(RedeemCouponCodeFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coupons/redeem-code")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, validator, logger, nameof(RedeemCouponCodeFunction), async (session, body) =>
            (await coupons.RedeemCodeAsync(session, body.Code!, RequestCancellation.Writes))
                .ToActionResult(coupon => new ObjectResult(coupon) { StatusCode = StatusCodes.Status201Created }));
}
