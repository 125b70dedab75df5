using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;
using WeStore.Functions.Orders;

namespace WeStore.Functions.Segments;

/// <summary>
/// <c>POST /api/manage/broadcasts</c> (function key; <c>Idempotency-Key</c> optional) → 202 the broadcast, sent in the
/// background; a repeat with the same key is 200 with the same broadcast and sends nothing again.
/// </summary>
public sealed class CreateBroadcastFunction(BroadcastService broadcasts, IValidator<CreateBroadcastRequest> validator, ILogger<CreateBroadcastFunction> logger)
{
    [Function(nameof(CreateBroadcastFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/broadcasts")] HttpRequest request)
        => Routes.WithBodyAsync(request, validator, logger, nameof(CreateBroadcastFunction), async body =>
        {
            var key = IdempotencyKeys.Read(request);
            if (key is null && request.Headers.ContainsKey(IdempotencyKeys.Header))
            {
                return Problems.Validation(new Dictionary<string, string[]> { [IdempotencyKeys.Header] = ["1 to 64 visible ASCII characters."] });
            }

            return (await broadcasts.CreateAsync(body.ToCommand(key), RequestCancellation.Writes))
                .ToActionResult(r => new ObjectResult(r.View) { StatusCode = r.Created ? StatusCodes.Status202Accepted : StatusCodes.Status200OK });
        });
}
