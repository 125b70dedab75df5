using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.OfficialAccount;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.OfficialAccount;

/// <summary><c>GET /api/manage/follow-codes</c> (function key): every follow code, oldest first.</summary>
public sealed class ListFollowCodesFunction(FollowCodeService codes, ILogger<ListFollowCodesFunction> logger)
{
    [Function(nameof(ListFollowCodesFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/follow-codes")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListFollowCodesFunction), async () =>
            new OkObjectResult(new { followCodes = await codes.ListAsync(request.HttpContext.RequestAborted) }));
}
