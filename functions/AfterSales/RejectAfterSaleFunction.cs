using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>POST /api/manage/after-sales/{afterSaleId}/reject</c> (function key): The operator refuses, saying why; the request's claim on the order is let go.</summary>
public sealed class RejectAfterSaleFunction(AfterSaleService afterSales, IValidator<RejectAfterSaleRequest> validator, ILogger<RejectAfterSaleFunction> logger)
{
    [Function(nameof(RejectAfterSaleFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/after-sales/{afterSaleId}/reject")] HttpRequest request, string afterSaleId)
        => Routes.WithBodyAsync(request, validator, logger, nameof(RejectAfterSaleFunction), async body =>
            (await afterSales.RejectAsync(afterSaleId, body.Reason!, RequestCancellation.Writes)).ToActionResult(view => new OkObjectResult(view)));
}
