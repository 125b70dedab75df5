using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Fulfilment;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Fulfilment;

/// <summary>
/// <c>POST /api/orders/{orderNo}/confirm-receipt</c> (member): after WeChat's confirm-receipt page returns. The
/// receipt is recorded once, and only when WeChat holds it (get_order); a repeat answers the order as it is.
/// </summary>
public sealed class ConfirmReceiptFunction(
    MemberAuthenticator authenticator, ReceiptService receipts, IValidator<ConfirmReceiptRequest> validator, ILogger<ConfirmReceiptFunction> logger)
{
    [Function(nameof(ConfirmReceiptFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{orderNo}/confirm-receipt")] HttpRequest request, string orderNo)
        => Routes.MemberAsync(request, authenticator, validator, logger, nameof(ConfirmReceiptFunction), async (session, body) =>
            (await receipts.ConfirmByBuyerAsync(session, orderNo, RequestCancellation.Writes)).ToActionResult(order => new OkObjectResult(order)));
}
