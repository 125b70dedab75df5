using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Fulfilment;
using WeStore.Functions.Infrastructure;
using WeStore.Functions.Orders;

namespace WeStore.Functions.Fulfilment;

/// <summary>
/// <c>POST /api/manage/orders/{orderNo}/shipments</c> (function key, <c>Idempotency-Key</c> required): packages leave
/// the warehouse. A retry with the same key and body answers as before; the same key with another body is a 409.
/// </summary>
public sealed class ShipOrderFunction(ShippingService shipping, IValidator<ShipOrderRequest> validator, ILogger<ShipOrderFunction> logger)
{
    [Function(nameof(ShipOrderFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/orders/{orderNo}/shipments")] HttpRequest request, string orderNo)
        => Routes.WithBodyAsync(request, validator, logger, nameof(ShipOrderFunction), async body =>
        {
            if (IdempotencyKeys.Read(request) is not { } key)
            {
                return Problems.Validation(new Dictionary<string, string[]> { [IdempotencyKeys.Header] = ["Required: 1 to 64 visible ASCII characters."] });
            }

            return (await shipping.ShipAsync(orderNo, body.ToCommand(), key, RequestCancellation.Writes)).ToActionResult(order => new OkObjectResult(order));
        });
}
