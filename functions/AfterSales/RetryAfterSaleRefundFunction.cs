using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>POST /api/manage/after-sales/{afterSaleId}/retry-refund</c> (function key): A stopped refund again: ABNORMAL through the abnormal-refund API, CLOSED under the next out_refund_no.</summary>
public sealed class RetryAfterSaleRefundFunction(AfterSaleService afterSales, IValidator<RetryRefundRequest> validator, ILogger<RetryAfterSaleRefundFunction> logger)
{
    [Function(nameof(RetryAfterSaleRefundFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/after-sales/{afterSaleId}/retry-refund")] HttpRequest request, string afterSaleId)
        => Routes.WithBodyAsync(request, validator, logger, nameof(RetryAfterSaleRefundFunction), async body =>
            (await afterSales.RetryRefundAsync(afterSaleId, body.ToTarget(), RequestCancellation.Writes)).ToActionResult(view => new OkObjectResult(view)));
}
