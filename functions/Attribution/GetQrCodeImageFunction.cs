using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Attribution;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Attribution;

/// <summary><c>GET /api/manage/qrcodes/{sceneId}.png</c> (function key): the code's image as WeChat made it.</summary>
public sealed class GetQrCodeImageFunction(QrCodeService codes, ILogger<GetQrCodeImageFunction> logger)
{
    [Function(nameof(GetQrCodeImageFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/qrcodes/{sceneId}.png")] HttpRequest request, string sceneId)
        => Routes.OperatorAsync(request, logger, nameof(GetQrCodeImageFunction), async () =>
            (await codes.GetImageAsync(sceneId, request.HttpContext.RequestAborted)).ToActionResult(png => new FileContentResult(png, "image/png")));
}
