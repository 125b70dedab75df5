using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary><c>GET /api/me/after-sales</c> (member): the member's requests, newest first.</summary>
public sealed class ListMyAfterSalesFunction(MemberAuthenticator authenticator, AfterSaleService afterSales, ILogger<ListMyAfterSalesFunction> logger)
{
    [Function(nameof(ListMyAfterSalesFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/after-sales")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, logger, nameof(ListMyAfterSalesFunction), async (session, ct) =>
            new OkObjectResult(await afterSales.ListMineAsync(session, ct)));
}
