using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>POST /api/manage/after-sales/{afterSaleId}/receive</c> (function key): The returned goods arrived: restocked once if asked, then the money goes back.</summary>
public sealed class ReceiveReturnFunction(AfterSaleService afterSales, IValidator<ReceiveReturnRequest> validator, ILogger<ReceiveReturnFunction> logger)
{
    [Function(nameof(ReceiveReturnFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/after-sales/{afterSaleId}/receive")] HttpRequest request, string afterSaleId)
        => Routes.WithBodyAsync(request, validator, logger, nameof(ReceiveReturnFunction), async body =>
            (await afterSales.ReceiveAsync(afterSaleId, body.Restock!.Value, RequestCancellation.Writes)).ToActionResult(view => new OkObjectResult(view)));
}
