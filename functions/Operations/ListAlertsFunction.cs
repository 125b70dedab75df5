using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Operations;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Operations;

/// <summary>
/// <c>GET /api/manage/alerts?day=yyyy-MM-dd</c> (function key): what operators must act on that day (Shanghai; today
/// by default): WeChat's shipping reminders, shipping uploads that failed for good.
/// </summary>
public sealed class ListAlertsFunction(OperatorAlertService alerts, ILogger<ListAlertsFunction> logger)
{
    [Function(nameof(ListAlertsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/alerts")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListAlertsFunction), async () =>
        {
            var text = request.Query["day"].ToString();
            DateOnly? day = null;
            if (text.Length > 0)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    return Problems.Validation(new Dictionary<string, string[]> { ["day"] = ["day is a date as yyyy-MM-dd."] });
                }

                day = parsed;
            }

            return new OkObjectResult(await alerts.ListAsync(day, request.HttpContext.RequestAborted));
        });
}
