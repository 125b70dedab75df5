using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Orders;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Orders;

/// <summary><c>POST /api/orders</c> (member, Idempotency-Key): prices, holds stock, prepays, returns requestPayment.</summary>
public sealed class PlaceOrderFunction(
    MemberAuthenticator authenticator, OrderService orders, IValidator<PlaceOrderRequest> validator, ILogger<PlaceOrderFunction> logger)
{
    [Function(nameof(PlaceOrderFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders")] HttpRequest request)
        => Routes.MemberCreateOnceAsync(request, authenticator, validator, logger, nameof(PlaceOrderFunction),
            (session, key, body) => orders.PlaceAsync(session, key, body.ToCommand(), RequestCancellation.Writes));
}
