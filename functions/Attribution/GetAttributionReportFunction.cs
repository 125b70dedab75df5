using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Attribution;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Attribution;

/// <summary>
/// <c>GET /api/manage/reports/attribution?from=yyyy-MM-dd&amp;to=yyyy-MM-dd&amp;groupBy=channel|qrcode|contactWay|followCode|staff</c>
/// (function key): days are Asia/Shanghai days, both ends included (default: the last 7 days). JSON, or CSV with
/// <c>Accept: text/csv</c>.
/// </summary>
public sealed class GetAttributionReportFunction(AttributionReportService reports, ILogger<GetAttributionReportFunction> logger)
{
    [Function(nameof(GetAttributionReportFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/reports/attribution")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(GetAttributionReportFunction), async () =>
        {
            var query = request.Query;
            if (!TryDate(query["from"], out var from) || !TryDate(query["to"], out var to))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["from"] = ["from and to are dates as yyyy-MM-dd."] });
            }

            ReportGrouping? groupBy = query["groupBy"].ToString() switch
            {
                "" or "channel" => ReportGrouping.Channel,
                "qrcode" => ReportGrouping.QrCode,
                "staff" => ReportGrouping.Staff,
                "contactWay" => ReportGrouping.ContactWay,
                "followCode" => ReportGrouping.FollowCode,
                "referrer" => ReportGrouping.Referrer,
                _ => null,
            };
            if (groupBy is null) return Problems.Validation(new Dictionary<string, string[]> { ["groupBy"] = ["groupBy is channel, qrcode, contactWay, followCode, referrer or staff."] });

            var result = await reports.BuildAsync(from, to, groupBy.Value, request.HttpContext.RequestAborted);
            var wantsCsv = request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);
            return result.ToActionResult(report => wantsCsv
                ? new ContentResult { Content = AttributionReportService.ToCsv(report), ContentType = "text/csv; charset=utf-8", StatusCode = StatusCodes.Status200OK }
                : new OkObjectResult(report));
        });

    private static bool TryDate(Microsoft.Extensions.Primitives.StringValues value, out DateOnly? date)
    {
        date = null;
        if (value.Count == 0 || string.IsNullOrEmpty(value[0])) return true;
        if (value.Count > 1 || !DateOnly.TryParseExact(value[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        date = d;
        return true;
    }
}
