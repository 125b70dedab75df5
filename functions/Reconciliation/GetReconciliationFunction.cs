using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Reconciliation;
using WeStore.Domain.Common;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Reconciliation;

/// <summary><c>GET /api/manage/reconciliation/{day}</c> (function key): the day's result, JSON or CSV (<c>Accept: text/csv</c>); 404 before it has run.</summary>
public sealed class GetReconciliationFunction(ReconciliationService reconciliation, TimeProvider time, ILogger<GetReconciliationFunction> logger)
{
    [Function(nameof(GetReconciliationFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/reconciliation/{day}")] HttpRequest request, string day)
        => Routes.OperatorAsync(request, logger, nameof(GetReconciliationFunction), async () =>
        {
            var (date, problem) = ReconciliationRequests.Day(day, BusinessCalendar.DayOf(time.GetUtcNow()));
            if (problem is not null) return problem;
            return await reconciliation.GetAsync(date, request.HttpContext.RequestAborted) is { } result
                ? ReconciliationRequests.Answer(request, result)
                : Problems.Create(StatusCodes.Status404NotFound, "That day has not been reconciled yet.");
        });
}
