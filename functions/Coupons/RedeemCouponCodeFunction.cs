using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Domain.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>POST /api/coupons/redeem-code</c> (member) <c>{code}</c> → 201; a used code is 409.</summary>
public sealed class RedeemCouponCodeFunction(
    MemberAuthenticator authenticator, CouponIssuance coupons, IValidator<RedeemCodeRequest> validator, ILogger<RedeemCouponCodeFunction> logger)
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
