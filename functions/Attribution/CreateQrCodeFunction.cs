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
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/qrcodes")] HttpRequest request)
        => Routes.WithBodyAsync(request, validator, logger, nameof(CreateQrCodeFunction), async body =>
            (await codes.CreateAsync(body.ToCommand(), RequestCancellation.Writes)).ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created }));
}
