using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Auth;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Auth;

/// <summary><c>POST /api/auth/phone</c> (member): binds the shopper's phone number, returned masked.</summary>
public sealed class BindPhoneNumberFunction(
    MemberAuthenticator authenticator, PhoneService phones, IValidator<PhoneNumberRequest> validator, ILogger<BindPhoneNumberFunction> logger)
{
    [Function(nameof(BindPhoneNumberFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/phone")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(BindPhoneNumberFunction), async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;

            var ct = request.HttpContext.RequestAborted;
            var body = await JsonBody.ReadAsync(request, validator, ct);
            if (body.Problem is not null) return body.Problem;

            var result = await phones.BindAsync(session!, body.Value!.Code!, RequestCancellation.Writes);
            return result.ToActionResult(r => new OkObjectResult(r));
        });
}
