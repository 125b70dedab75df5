using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.OfficialAccount;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.OfficialAccount;

/// <summary><c>POST /api/manage/follow-codes</c> (function key) → 201 <c>{sceneStr, ticket, url, imageUrl, expiresAt}</c>, made with <c>qrcode/create</c>.</summary>
public sealed class CreateFollowCodeFunction(FollowCodeService codes, IValidator<CreateFollowCodeRequest> validator, ILogger<CreateFollowCodeFunction> logger)
{
    [Function(nameof(CreateFollowCodeFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/follow-codes")] HttpRequest request)
        => Routes.WithBodyAsync(request, validator, logger, nameof(CreateFollowCodeFunction), async body =>
            (await codes.CreateAsync(body.ToCommand(), RequestCancellation.Writes)).ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created }));
}
