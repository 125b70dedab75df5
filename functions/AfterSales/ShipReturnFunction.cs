using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>POST /api/after-sales/{afterSaleId}/return-shipment</c> (member): the approved return is on its way back.</summary>
public sealed class ShipReturnFunction(
    MemberAuthenticator authenticator, AfterSaleService afterSales, IValidator<ReturnShipmentRequest> validator, ILogger<ShipReturnFunction> logger)
{
    [Function(nameof(ShipReturnFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "after-sales/{afterSaleId}/return-shipment")] HttpRequest request, string afterSaleId)
        => Routes.MemberAsync(request, authenticator, validator, logger, nameof(ShipReturnFunction), async (session, body) =>
            (await afterSales.ShipReturnAsync(session, afterSaleId, body.ExpressCompany!, body.TrackingNo!, RequestCancellation.Writes))
                .ToActionResult(view => new OkObjectResult(view)));
}
