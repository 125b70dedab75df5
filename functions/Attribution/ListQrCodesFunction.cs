using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Attribution;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Attribution;

/// <summary><c>GET /api/manage/qrcodes</c> (function key): every code, oldest first.</summary>
public sealed class ListQrCodesFunction(QrCodeService codes, ILogger<ListQrCodesFunction> logger)
{
    [Function(nameof(ListQrCodesFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/qrcodes")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListQrCodesFunction), async () =>
            new OkObjectResult(new { qrcodes = await codes.ListAsync(request.HttpContext.RequestAborted) }));
}
