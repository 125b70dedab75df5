using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Payments;
using WeStore.Functions.Infrastructure;
using WeStore.Functions.Orders;

namespace WeStore.Functions.Payments;

/// <summary>
/// <c>POST /api/manage/orders/{orderNo}/refunds</c> (function key): a full or partial refund, idempotent by
/// out_refund_no (derived from the Idempotency-Key; a full refund without one is its own key).
/// </summary>
public sealed class RefundOrderFunction(RefundService refunds, IValidator<RefundOrderRequest> validator, ILogger<RefundOrderFunction> logger)
{
    [Function(nameof(RefundOrderFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/orders/{orderNo}/refunds")] HttpRequest request, string orderNo)
        => Routes.WithBodyAsync(request, validator, logger, nameof(RefundOrderFunction), async body =>
        {
            var key = request.Headers.ContainsKey(IdempotencyKeys.Header) ? IdempotencyKeys.Read(request) : null;
            if (request.Headers.ContainsKey(IdempotencyKeys.Header) && key is null)
            {
                return Problems.Validation(new Dictionary<string, string[]> { [IdempotencyKeys.Header] = ["1 to 64 visible ASCII characters."] });
            }

            return (await refunds.RefundAsync(orderNo, body.Amount, body.Reason!, key, RequestCancellation.Writes)).ToActionResult(refund => new OkObjectResult(refund));
        });
}
