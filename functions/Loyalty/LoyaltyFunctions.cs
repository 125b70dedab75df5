using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Loyalty;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Loyalty;

/// <summary><c>GET /api/me/points?pageSize=&amp;continuationToken=</c> (member): balance, tier, points expiring within 30 days, and the ledger, newest first.</summary>
public sealed class GetMyPointsFunction(MemberAuthenticator authenticator, LoyaltyService loyalty, ILogger<GetMyPointsFunction> logger)
{
    [Function(nameof(GetMyPointsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/points")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(GetMyPointsFunction), async () =>
        {
            var (session, denied) = await authenticator.AuthenticateAsync(request);
            if (denied is not null) return denied;
            var size = request.Query["pageSize"].ToString();
            var pageSize = 20;
            if (size.Length > 0 && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 100))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["pageSize"] = ["pageSize is 1 to 100."] });
            }

            var token = request.Query["continuationToken"].ToString();
            return new OkObjectResult(await loyalty.ViewAsync(session!, token.Length == 0 ? null : token, pageSize, request.HttpContext.RequestAborted));
        });
}

/// <summary>
/// Daily (setting <c>Loyalty__ExpirySchedule</c>, UTC; 18:00 UTC is 02:00 in Shanghai): fans out every due day's
/// expiring lots, catching up missed days, and the reminders for the day N days ahead.
/// </summary>
public sealed class ExpirePointsFunction(PointsExpiryService expiry)
{
    [Function(nameof(ExpirePointsFunction))]
    public Task Run([TimerTrigger("%Loyalty__ExpirySchedule%")] TimerInfo timer, CancellationToken cancellationToken)
        => expiry.RunAsync(cancellationToken);
}

/// <summary>Queue <c>points-expiry</c>: expires a batch of members' due lots (one storage batch per member).</summary>
public sealed class ExpireMemberPointsFunction(PointsExpiryService expiry)
{
    [Function(nameof(ExpireMemberPointsFunction))]
    public Task Run([QueueTrigger(LoyaltyQueues.Expiry)] PointsExpiryMessage message, CancellationToken cancellationToken)
        => expiry.ExpireAsync(message, cancellationToken);
}

/// <summary>Queue <c>points-reminder</c>: one subscription message per member for points about to expire.</summary>
public sealed class RemindPointsExpiryFunction(PointsExpiryService expiry)
{
    [Function(nameof(RemindPointsExpiryFunction))]
    public Task Run([QueueTrigger(LoyaltyQueues.Reminder)] PointsExpiryMessage message, CancellationToken cancellationToken)
        => expiry.RemindAsync(message, cancellationToken);
}

/// <summary>
/// <c>POST /api/manage/points/expiry?day=yyyy-MM-dd</c> (function key): fans out one day's expiry now, for an operator
/// (or a demo) who cannot wait for the timer. Re-running a day changes nothing; a day not yet over is refused.
/// </summary>
public sealed class RunPointsExpiryFunction(PointsExpiryService expiry, TimeProvider time, ILogger<RunPointsExpiryFunction> logger)
{
    [Function(nameof(RunPointsExpiryFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "manage/points/expiry")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(RunPointsExpiryFunction), async () =>
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
