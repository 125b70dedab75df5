using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Attribution;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Attribution;

/// <summary>
/// <c>POST /api/scans</c> (member): the Mini Program posts the scene it was opened with. 200 with <c>known</c> and the
/// member's touches; an unknown scene is counted as such and answered with <c>known: false</c>.
/// </summary>
public sealed class RecordScanFunction(MemberAuthenticator authenticator, ScanService scans, IValidator<RecordScanRequest> validator, ILogger<RecordScanFunction> logger)
{
    [Function(nameof(RecordScanFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "scans")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, validator, logger, nameof(RecordScanFunction), async (session, body) =>
            new OkObjectResult(await scans.RecordAsync(session, body.Scene!, body.EntryScene!.Value, RequestCancellation.Writes)));
}
