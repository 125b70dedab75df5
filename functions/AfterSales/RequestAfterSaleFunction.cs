using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;
using WeStore.Functions.Orders;

namespace WeStore.Functions.AfterSales;

/// <summary>
/// <c>POST /api/orders/{orderNo}/after-sales</c> (member, <c>Idempotency-Key</c> required): a refund or a return →
/// 201 <c>{afterSaleId, status}</c>. A retry with the same key answers the same request.
/// </summary>
public sealed class RequestAfterSaleFunction(
    MemberAuthenticator authenticator, AfterSaleService afterSales, IValidator<RequestAfterSaleRequest> validator, ILogger<RequestAfterSaleFunction> logger)
{
    [Function(nameof(RequestAfterSaleFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{orderNo}/after-sales")] HttpRequest request, string orderNo)
        => Routes.MemberAsync(request, authenticator, validator, logger, nameof(RequestAfterSaleFunction), async (session, body) =>
        {
            if (IdempotencyKeys.Read(request) is not { } key)
            {
                return Problems.Validation(new Dictionary<string, string[]> { [IdempotencyKeys.Header] = ["Required: 1 to 64 visible ASCII characters."] });
            }

            return (await afterSales.RequestAsync(session, orderNo, body.ToCommand(), key, RequestCancellation.Writes))
                .ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created });
        });
}
