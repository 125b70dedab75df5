using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeStore.Application.Auth;

namespace WeStore.Functions.Infrastructure;

/// <summary>
/// The steps every HTTP function takes before its one service call, in one place: run inside
/// <see cref="FunctionGuard"/>, authenticate the member (member routes), read and validate the body (routes with one).
/// Operator routes pass the operator gate first (<see cref="OperatorGate"/>).
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

    /// <summary>
    /// A member route that creates something once per <c>Idempotency-Key</c> (required) and answers 201 with the
    /// stored first answer, which a retry with the same key and body gets again.
    /// </summary>
    public static Task<IActionResult> MemberCreateOnceAsync<TBody>(
        HttpRequest request, MemberAuthenticator authenticator, IValidator<TBody> validator, ILogger logger, string function,
        Func<MemberSession, string, TBody, Task<WeStore.Domain.Common.Result<WeStore.Application.Orders.StoredResponse>>> action)
        where TBody : class
        => FunctionGuard.RunAsync(logger, function, async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;
            if (WeStore.Functions.Orders.IdempotencyKeys.Read(request) is not { } key)
            {
                return Problems.Validation(new Dictionary<string, string[]>
                {
                    [WeStore.Functions.Orders.IdempotencyKeys.Header] = [$"The {WeStore.Functions.Orders.IdempotencyKeys.Header} header is required: 1 to {WeStore.Functions.Orders.IdempotencyKeys.MaxLength} visible ASCII characters."],
                });
            }

            var body = await JsonBody.ReadAsync(request, validator, request.HttpContext.RequestAborted);
            if (body.Problem is not null) return body.Problem;
            return (await action(session!, key, body.Value!)).ToActionResult(stored => new ContentResult
            {
                StatusCode = StatusCodes.Status201Created,
                ContentType = "application/json; charset=utf-8",
                Content = stored.Json,
            });
        });

    /// <summary>An operator route with a JSON body: the operator gate first, then the body is read and validated.</summary>
    public static Task<IActionResult> WithBodyAsync<TBody>(
        HttpRequest request, IValidator<TBody> validator, ILogger logger, string function, Func<TBody, Task<IActionResult>> action)
        where TBody : class
        => OperatorAsync(request, logger, function, () => ReadBodyThenAsync(request, validator, action));

    /// <summary>An anonymous route with a JSON body (the login, whose body is its credential).</summary>
    public static Task<IActionResult> AnonymousWithBodyAsync<TBody>(
        HttpRequest request, IValidator<TBody> validator, ILogger logger, string function, Func<TBody, Task<IActionResult>> action)
        where TBody : class
        => FunctionGuard.RunAsync(logger, function, () => ReadBodyThenAsync(request, validator, action));

    private static async Task<IActionResult> ReadBodyThenAsync<TBody>(HttpRequest request, IValidator<TBody> validator, Func<TBody, Task<IActionResult>> action)
        where TBody : class
    {
        var body = await JsonBody.ReadAsync(request, validator, request.HttpContext.RequestAborted);
        return body.Problem ?? await action(body.Value!);
    }

    /// <summary>An operator route (<c>/api/manage/...</c>): the operator gate (a key, or a signed-in role), then the action.</summary>
    public static Task<IActionResult> OperatorAsync(HttpRequest request, ILogger logger, string function, Func<Task<IActionResult>> action)
        => FunctionGuard.RunAsync(logger, function, async () =>
            request.HttpContext.RequestServices.GetRequiredService<OperatorGate>().Check(request) ?? await action());
}
