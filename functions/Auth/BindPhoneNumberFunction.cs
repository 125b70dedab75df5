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
        => Routes.MemberAsync(request, authenticator, validator, logger, nameof(BindPhoneNumberFunction), async (session, body) =>
            (await phones.BindAsync(session, body.Code!, RequestCancellation.Writes)).ToActionResult(r => new OkObjectResult(r)));
}
