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
        => FunctionGuard.RunAsync(logger, nameof(PlaceOrderFunction), async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;

            var key = IdempotencyKeys.Read(request);
            if (key is null)
            {
                return Problems.Validation(new Dictionary<string, string[]>
                {
                    [IdempotencyKeys.Header] = [$"The {IdempotencyKeys.Header} header is required: 1 to {IdempotencyKeys.MaxLength} visible ASCII characters."],
                });
            }

            var ct = request.HttpContext.RequestAborted;
            var body = await JsonBody.ReadAsync(request, validator, ct);
            if (body.Problem is not null) return body.Problem;

            var result = await orders.PlaceAsync(session!, key, body.Value!.ToCommand(), RequestCancellation.Writes);
            return result.ToActionResult(stored => new ContentResult
            {
                StatusCode = StatusCodes.Status201Created,
                ContentType = "application/json; charset=utf-8",
                Content = stored.Json,
            });
        });
}
