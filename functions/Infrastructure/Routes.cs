using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using WeStore.Application.Auth;

namespace WeStore.Functions.Infrastructure;

/// <summary>
/// The steps every HTTP function takes before its one service call, in one place: run inside
/// <see cref="FunctionGuard"/>, authenticate the member (member routes), read and validate the body (routes with one).
/// Operator routes are authenticated by the host (function key) before the function runs.
/// </summary>
public static class Routes
{
    /// <summary>A member route without a body: the action gets the member and the caller's token (for reads).</summary>
    public static Task<IActionResult> MemberAsync(
        HttpRequest request, MemberAuthenticator authenticator, ILogger logger, string function,
        Func<MemberSession, CancellationToken, Task<IActionResult>> action)
        => FunctionGuard.RunAsync(logger, function, async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            return denied ?? await action(session!, request.HttpContext.RequestAborted);
        });

    /// <summary>A member route with a JSON body: authenticated first, so an anonymous caller learns nothing of the rules.</summary>
    public static Task<IActionResult> MemberAsync<TBody>(
        HttpRequest request, MemberAuthenticator authenticator, IValidator<TBody> validator, ILogger logger, string function,
        Func<MemberSession, TBody, Task<IActionResult>> action)
        where TBody : class
        => FunctionGuard.RunAsync(logger, function, async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;
            var body = await JsonBody.ReadAsync(request, validator, request.HttpContext.RequestAborted);
            return body.Problem ?? await action(session!, body.Value!);
        });

    /// <summary>A route with a JSON body whose caller the host has already authenticated (operators, function key).</summary>
    public static Task<IActionResult> WithBodyAsync<TBody>(
        HttpRequest request, IValidator<TBody> validator, ILogger logger, string function, Func<TBody, Task<IActionResult>> action)
        where TBody : class
        => FunctionGuard.RunAsync(logger, function, async () =>
        {
            var body = await JsonBody.ReadAsync(request, validator, request.HttpContext.RequestAborted);
            return body.Problem ?? await action(body.Value!);
        });
}
