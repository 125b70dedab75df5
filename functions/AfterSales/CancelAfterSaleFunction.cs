using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>POST /api/after-sales/{afterSaleId}/cancel</c> (member): withdrawn while nothing is on its way back; a repeat answers the same.</summary>
public sealed class CancelAfterSaleFunction(MemberAuthenticator authenticator, AfterSaleService afterSales, ILogger<CancelAfterSaleFunction> logger)
{
    [Function(nameof(CancelAfterSaleFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "after-sales/{afterSaleId}/cancel")] HttpRequest request, string afterSaleId)
        => Routes.MemberAsync(request, authenticator, logger, nameof(CancelAfterSaleFunction), async (session, _) =>
            (await afterSales.CancelAsync(session, afterSaleId, RequestCancellation.Writes)).ToActionResult(view => new OkObjectResult(view)));
}
