using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Coupons;

/// <summary><c>GET /api/me/coupons</c> (member): the wallet, by state; expiry is worked out from the clock.</summary>
public sealed class ListMyCouponsFunction(MemberAuthenticator authenticator, CouponWallet coupons, ILogger<ListMyCouponsFunction> logger)
{
    [Function(nameof(ListMyCouponsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/coupons")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, logger, nameof(ListMyCouponsFunction), async (session, ct) =>
            new OkObjectResult(await coupons.WalletAsync(session, ct)));
}
