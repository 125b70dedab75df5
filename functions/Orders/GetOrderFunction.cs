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
        => Routes.MemberAsync(request, authenticator, logger, nameof(GetOrderFunction), async (session, ct) =>
            (await orders.GetAsync(session, orderNo, ct)).ToActionResult(order => new OkObjectResult(order)));
}
