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
