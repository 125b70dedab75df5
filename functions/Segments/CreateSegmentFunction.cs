using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary><c>POST /api/manage/segments</c> (function key) → 201 the segment; its back-fill runs in the background.</summary>
public sealed class CreateSegmentFunction(SegmentService segments, IValidator<CreateSegmentRequest> validator, ILogger<CreateSegmentFunction> logger)
{
    [Function(nameof(CreateSegmentFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/segments")] HttpRequest request)
        => Routes.WithBodyAsync(request, validator, logger, nameof(CreateSegmentFunction), async body =>
            new ObjectResult(await segments.CreateAsync(body.ToCommand(), RequestCancellation.Writes)) { StatusCode = StatusCodes.Status201Created });
}
