using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Fulfilment;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Fulfilment;

/// <summary><c>GET /api/manage/orders/{orderNo}</c> (function key): the order with its member, refunds, packages and WeChat's upload state.</summary>
public sealed class GetOperatorOrderFunction(ShippingService shipping, ILogger<GetOperatorOrderFunction> logger)
{
    [Function(nameof(GetOperatorOrderFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/orders/{orderNo}")] HttpRequest request, string orderNo)
        => Routes.OperatorAsync(request, logger, nameof(GetOperatorOrderFunction), async () =>
            (await shipping.GetAsync(orderNo, request.HttpContext.RequestAborted)).ToActionResult(order => new OkObjectResult(order)));
}
