using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary>
/// <c>GET /api/manage/segments/{id}/members?pageSize=&amp;continuationToken=</c> (function key): a page of openids, each
/// page a range read of one of the segment's partitions. A token that is not one the store made starts from the beginning.
/// </summary>
public sealed class ListSegmentMembersFunction(SegmentService segments, ILogger<ListSegmentMembersFunction> logger)
{
    public const int MaxPageSize = 1000;

    [Function(nameof(ListSegmentMembersFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/segments/{id}/members")] HttpRequest request, string id)
        => Routes.OperatorAsync(request, logger, nameof(ListSegmentMembersFunction), async () =>
        {
            if (!SegmentIds.IsValid(id)) return Problems.Create(StatusCodes.Status404NotFound, "No segment has that id.");
            var size = request.Query["pageSize"].ToString();
            var pageSize = 100;
            if (size.Length > 0 && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["pageSize"] = [$"pageSize is 1 to {MaxPageSize}."] });
            }

            var token = request.Query["continuationToken"].ToString();
            return (await segments.MembersAsync(id, token.Length > 0 ? token : null, pageSize, request.HttpContext.RequestAborted)).ToActionResult(page => new OkObjectResult(page));
        });
}
