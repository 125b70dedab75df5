using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary><c>POST /api/manage/flows</c> (function key) → 201 the flow; 404 when its segment does not exist.</summary>
public sealed class CreateFlowFunction(FlowService flows, IValidator<CreateFlowRequest> validator, ILogger<CreateFlowFunction> logger)
{
    [Function(nameof(CreateFlowFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/flows")] HttpRequest request)
        => Routes.WithBodyAsync(request, validator, logger, nameof(CreateFlowFunction), async body =>
            (await flows.CreateAsync(body.ToCommand(), RequestCancellation.Writes)).ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created }));
}
