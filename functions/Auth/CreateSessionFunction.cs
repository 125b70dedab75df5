using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Auth;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Auth;

/// <summary><c>POST /api/auth/login</c>: a wx.login code for a WeStore session token.</summary>
public sealed class CreateSessionFunction(LoginService login, IValidator<LoginRequest> validator, ILogger<CreateSessionFunction> logger)
{
    [Function(nameof(CreateSessionFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/login")] HttpRequest request)
        => Routes.AnonymousWithBodyAsync(request, validator, logger, nameof(CreateSessionFunction), async body =>
            (await login.LoginAsync(body.Code!, RequestCancellation.Writes)).ToActionResult(r => new OkObjectResult(r)));
}
