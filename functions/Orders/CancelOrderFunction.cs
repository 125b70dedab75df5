using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Orders;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Orders;

/// <summary><c>POST /api/orders/{orderNo}/cancel</c> (member): unpaid orders only; closes it at WeChat Pay first.</summary>
public sealed class CancelOrderFunction(MemberAuthenticator authenticator, OrderLifecycleService lifecycle, ILogger<CancelOrderFunction> logger)
{
    [Function(nameof(CancelOrderFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{orderNo}/cancel")] HttpRequest request, string orderNo)
        => Routes.MemberAsync(request, authenticator, logger, nameof(CancelOrderFunction), async (session, _) =>
            (await lifecycle.CancelAsync(session, orderNo, RequestCancellation.Writes)).ToActionResult(order => new OkObjectResult(order)));
}
