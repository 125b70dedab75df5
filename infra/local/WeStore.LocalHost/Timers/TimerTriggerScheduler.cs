using Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WeStore.LocalHost.Invocation;

namespace WeStore.LocalHost.Timers;

/// <summary>
/// Runs one timer-triggered function on its schedule. With the schedule monitor on, a run that fell due while the
/// host was down is caught up at start with <c>IsPastDue</c> true, once, as the Functions host does.
/// </summary>
internal sealed class TimerTriggerScheduler(
    FunctionInvoker invoker,
    TimerSchedule schedule,
    TimerStatusStore statusStore,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    private string FunctionName => invoker.Definition.Name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = invoker.Definition.Timer!;
        var now = time.GetUtcNow();
        ScheduleStatus? status = null;
        if (settings.UseMonitor)
        {
            status = await ReadStatusAsync(stoppingToken);
        }

        if (status is not null && status.Next != DateTime.MinValue && new DateTimeOffset(status.Next, TimeSpan.Zero) <= now)
        {
            logger.LogInformation("{FunctionName} is past due (was due {Due}); running now", FunctionName, status.Next);
            await RunAsync(isPastDue: true, status, new DateTimeOffset(status.Next, TimeSpan.Zero), stoppingToken);
        }
        else if (settings.RunOnStartup)
        {
            await RunAsync(isPastDue: false, status, now, stoppingToken);
        }
        else if (settings.UseMonitor && status is null)
        {
            await SaveStatusAsync(now, schedule.GetNextOccurrence(now), stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var due = schedule.GetNextOccurrence(time.GetUtcNow());
            var wait = due - time.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            await RunAsync(isPastDue: false, status, due, stoppingToken);
        }
    }

    private async Task RunAsync(bool isPastDue, ScheduleStatus? previous, DateTimeOffset occurrence, CancellationToken stoppingToken)
    {
        var next = schedule.GetNextOccurrence(time.GetUtcNow());
        var timer = new TimerInfo
        {
            IsPastDue = isPastDue,
            ScheduleStatus = new ScheduleStatus
            {
                Last = previous?.Last ?? DateTime.MinValue,
                Next = next.UtcDateTime,
                LastUpdated = time.GetUtcNow().UtcDateTime,
            },
        };
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            // In-flight runs finish on shutdown: the function is not handed the stopping token.
            await invoker.InvokeAsync(new InvocationContext { Services = scope.ServiceProvider, Timer = timer, CancellationToken = CancellationToken.None });
        }
        catch (Exception e)
        {
            logger.LogError(e, "Timer function {FunctionName} failed", FunctionName);
        }

        if (invoker.Definition.Timer!.UseMonitor)
        {
            // A run that finished is recorded even if the host is stopping meanwhile: otherwise the next start would
            // find it past due and run it again. Storage's own timeouts bound the write.
            await SaveStatusAsync(occurrence, next, CancellationToken.None);
        }
    }

    private async Task<ScheduleStatus?> ReadStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await statusStore.GetAsync(FunctionName, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException)
        {
            logger.LogWarning(e, "Reading the schedule status of {FunctionName} failed; a missed run cannot be detected", FunctionName);
            return null;
        }
    }

    private async Task SaveStatusAsync(DateTimeOffset last, DateTimeOffset next, CancellationToken cancellationToken)
    {
        try
        {
            await statusStore.SaveAsync(FunctionName, last, next, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning(e, "Saving the schedule status of {FunctionName} failed", FunctionName);
        }
    }
}
