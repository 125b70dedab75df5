using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>GET /api/after-sales/{afterSaleId}</c> (member): another member's request is a 404.</summary>
public sealed class GetAfterSaleFunction(MemberAuthenticator authenticator, AfterSaleService afterSales, ILogger<GetAfterSaleFunction> logger)
{
    [Function(nameof(GetAfterSaleFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "after-sales/{afterSaleId}")] HttpRequest request, string afterSaleId)
        => Routes.MemberAsync(request, authenticator, logger, nameof(GetAfterSaleFunction), async (session, ct) =>
            (await afterSales.GetMineAsync(session, afterSaleId, ct)).ToActionResult(view => new OkObjectResult(view)));
}
