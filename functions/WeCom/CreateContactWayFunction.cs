using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.WeCom;
using WeStore.Functions.Infrastructure;
using WeStore.Functions.Orders;

namespace WeStore.Functions.WeCom;

/// <summary>
/// <c>POST /api/manage/contact-ways</c> (function key; <c>Idempotency-Key</c> optional, a repeat is the same way) → 201
/// <c>{state, configId, qrCode, ...}</c>, made at WeCom with <c>add_contact_way</c>.
/// </summary>
public sealed class CreateContactWayFunction(ContactWayService ways, IValidator<CreateContactWayRequest> validator, ILogger<CreateContactWayFunction> logger)
{
    [Function(nameof(CreateContactWayFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/contact-ways")] HttpRequest request)
        => Routes.WithBodyAsync(request, validator, logger, nameof(CreateContactWayFunction), async body =>
        {
            var key = IdempotencyKeys.Read(request);
            if (key is null && request.Headers.ContainsKey(IdempotencyKeys.Header))
            {
                return Problems.Validation(new Dictionary<string, string[]> { [IdempotencyKeys.Header] = ["1 to 64 visible ASCII characters."] });
            }

            return (await ways.CreateAsync(body.ToCommand(key), RequestCancellation.Writes)).ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created });
        });
}
