using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Loyalty;
using WeStore.Domain.Loyalty;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Loyalty;

/// <summary>
/// <c>POST /api/manage/points/expiry?day=yyyy-MM-dd</c> (function key): fans out one day's expiry now, for an operator
/// (or a demo) who cannot wait for the timer. Re-running a day changes nothing; a day not yet over is refused.
/// </summary>
public sealed class RunPointsExpiryFunction(PointsExpiryService expiry, TimeProvider time, ILogger<RunPointsExpiryFunction> logger)
{
    [Function(nameof(RunPointsExpiryFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/points/expiry")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(RunPointsExpiryFunction), async () =>
        {
            if (!DateOnly.TryParseExact(request.Query["day"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["day"] = ["day is a date as yyyy-MM-dd."] });
            }

            if (day >= WeStore.Domain.Common.BusinessCalendar.DayOf(time.GetUtcNow()))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["day"] = ["Only a day that is over (in Shanghai) can be expired."] });
            }

            return new OkObjectResult(await expiry.FanOutAsync(day, LoyaltyQueues.Expiry, RequestCancellation.Writes));
        });
}
