using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Reconciliation;
using WeStore.Domain.Common;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Reconciliation;

/// <summary><c>POST /api/manage/reconciliation/{day}/run</c> (function key): reconciles the day now; a re-run replaces the result with the same one.</summary>
public sealed class RunReconciliationFunction(ReconciliationService reconciliation, TimeProvider time, ILogger<RunReconciliationFunction> logger)
{
    [Function(nameof(RunReconciliationFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/reconciliation/{day}/run")] HttpRequest request, string day)
        => Routes.OperatorAsync(request, logger, nameof(RunReconciliationFunction), async () =>
        {
            var (date, problem) = ReconciliationRequests.Day(day, BusinessCalendar.DayOf(time.GetUtcNow()));
            if (problem is not null) return problem;
            return ReconciliationRequests.Answer(request, await reconciliation.RunAsync(date, RequestCancellation.Writes));
        });
}
