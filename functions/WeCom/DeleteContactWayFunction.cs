using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.WeCom;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.WeCom;

/// <summary><c>DELETE /api/manage/contact-ways/{state}</c> (function key): deleted at WeCom first, then marked deleted here (its adds stay counted).</summary>
public sealed class DeleteContactWayFunction(ContactWayService ways, ILogger<DeleteContactWayFunction> logger)
{
    [Function(nameof(DeleteContactWayFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/contact-ways/{state}")] HttpRequest request, string state)
        => Routes.OperatorAsync(request, logger, nameof(DeleteContactWayFunction), async () =>
            (await ways.DeleteAsync(state, RequestCancellation.Writes)).ToActionResult(view => new OkObjectResult(view)));
}
