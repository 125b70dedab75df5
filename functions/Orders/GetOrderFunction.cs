using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Orders;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Orders;

/// <summary><c>GET /api/orders/{orderNo}</c> (member): another member's order is a 404.</summary>
public sealed class GetOrderFunction(MemberAuthenticator authenticator, OrderService orders, ILogger<GetOrderFunction> logger)
{
    [Function(nameof(GetOrderFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders/{orderNo}")] HttpRequest request, string orderNo)
        => FunctionGuard.RunAsync(logger, nameof(GetOrderFunction), async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;

            var result = await orders.GetAsync(session!, orderNo, request.HttpContext.RequestAborted);
            return result.ToActionResult(order => new OkObjectResult(order));
        });
}
