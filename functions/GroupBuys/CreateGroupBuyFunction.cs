using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.GroupBuys;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.GroupBuys;

/// <summary><c>POST /api/manage/group-buys</c> (function key) → 201 the group-buy.</summary>
public sealed class CreateGroupBuyFunction(GroupBuyService groupBuys, IValidator<CreateGroupBuyRequest> validator, ILogger<CreateGroupBuyFunction> logger)
{
    [Function(nameof(CreateGroupBuyFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/group-buys")] HttpRequest request)
        => Routes.WithBodyAsync(request, validator, logger, nameof(CreateGroupBuyFunction), async body =>
            (await groupBuys.CreateAsync(body.ToCommand(), RequestCancellation.Writes)).ToActionResult(view => new ObjectResult(view) { StatusCode = StatusCodes.Status201Created }));
}
