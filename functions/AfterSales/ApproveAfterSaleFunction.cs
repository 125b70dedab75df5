using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>POST /api/manage/after-sales/{afterSaleId}/approve</c> (function key): The operator agrees, for the amount asked or less; a refund-only request goes on to its refund, a return waits for the goods.</summary>
public sealed class ApproveAfterSaleFunction(AfterSaleService afterSales, IValidator<ApproveAfterSaleRequest> validator, ILogger<ApproveAfterSaleFunction> logger)
{
    [Function(nameof(ApproveAfterSaleFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/after-sales/{afterSaleId}/approve")] HttpRequest request, string afterSaleId)
        => Routes.WithBodyAsync(request, validator, logger, nameof(ApproveAfterSaleFunction), async body =>
            (await afterSales.ApproveAsync(afterSaleId, body.Amount, body.ReturnAddress, RequestCancellation.Writes)).ToActionResult(view => new OkObjectResult(view)));
}
