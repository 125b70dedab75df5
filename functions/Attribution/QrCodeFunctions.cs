using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Attribution;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Attribution;

/// <summary><c>POST /api/manage/qrcodes</c> (function key) → 201 with the code; its image is fetched from WeChat first.</summary>
public sealed class CreateQrCodeFunction(QrCodeService codes, IValidator<CreateQrCodeRequest> validator, ILogger<CreateQrCodeFunction> logger)
{
    [Function(nameof(CreateQrCodeFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "manage/qrcodes")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(CreateQrCodeFunction), async () =>
        {
            var ct = request.HttpContext.RequestAborted;
            var body = await JsonBody.ReadAsync(request, validator, ct);
            if (body.Problem is not null) return body.Problem;
            var result = await codes.CreateAsync(body.Value!.ToCommand(), RequestCancellation.Writes);
            return result.ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created });
        });
}

/// <summary><c>GET /api/manage/qrcodes</c> (function key): every code, oldest first.</summary>
public sealed class ListQrCodesFunction(QrCodeService codes, ILogger<ListQrCodesFunction> logger)
{
    [Function(nameof(ListQrCodesFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "manage/qrcodes")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(ListQrCodesFunction), async () =>
            new OkObjectResult(new { qrcodes = await codes.ListAsync(request.HttpContext.RequestAborted) }));
}

/// <summary><c>GET /api/manage/qrcodes/{sceneId}.png</c> (function key): the code's image as WeChat made it.</summary>
public sealed class GetQrCodeImageFunction(QrCodeService codes, ILogger<GetQrCodeImageFunction> logger)
{
    [Function(nameof(GetQrCodeImageFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "manage/qrcodes/{sceneId}.png")] HttpRequest request, string sceneId)
        => FunctionGuard.RunAsync(logger, nameof(GetQrCodeImageFunction), async () =>
            (await codes.GetImageAsync(sceneId, request.HttpContext.RequestAborted)).ToActionResult(png => new FileContentResult(png, "image/png")));
}
