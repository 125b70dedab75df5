using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>GET /api/manage/after-sales/{afterSaleId}</c> (function key): one request, whoever made it.</summary>
public sealed class GetOperatorAfterSaleFunction(AfterSaleService afterSales, ILogger<GetOperatorAfterSaleFunction> logger)
{
    [Function(nameof(GetOperatorAfterSaleFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/after-sales/{afterSaleId}")] HttpRequest request, string afterSaleId)
        => Routes.OperatorAsync(request, logger, nameof(GetOperatorAfterSaleFunction), async () =>
            (await afterSales.GetAsync(afterSaleId, request.HttpContext.RequestAborted)).ToActionResult(view => new OkObjectResult(view)));
}
