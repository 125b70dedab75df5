using System.Globalization;
using Microsoft.Extensions.Logging;
using WeStore.Domain.Common;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Messaging;

namespace WeStore.Application.Fulfilment;

/// <summary>What one run of the fulfilment timer sent.</summary>
public sealed record DueRun(int Days, int Orders, int Messages);

/// <summary>
/// The fulfilment timer: reads the day index from where the last run stopped up to now (so missed runs are caught
/// up), and sends what fell due in batches to <c>fulfilment-due</c>; it never reads orders. The
/// queue function applies each entry through the same idempotent transitions the other paths use.
/// </summary>
public sealed class FulfilmentScheduler(
    IFulfilmentSchedule schedule,
    IMessageSender messages,
    ReceiptService receipts,
    CompletionService completions,
    TimeProvider time,
    ILogger<FulfilmentScheduler> logger)
{
    public const int OrdersPerMessage = 50;

    /// <summary>
    /// Every entry falls due at least this long after it is written, so a run reading up to its own now never misses
    /// one written while it ran (clocks of two instances agree far better than this), and runs need no overlap: each
    /// entry is sent once.
    /// </summary>
    public static readonly TimeSpan MinimumLead = TimeSpan.FromMinutes(5);

    /// <summary>An entry for the schedule, due no sooner than <see cref="MinimumLead"/> from now.</summary>
    public static ScheduledOrder Entry(DueKind kind, WeStore.Domain.Orders.Order order, DateTimeOffset due, DateTimeOffset now)
        => new(kind, order.OpenId, order.OrderNo, due < now + MinimumLead ? now + MinimumLead : due);

    public async Task<DueRun> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // The first run reads from the beginning: entries may have been written before any run.
        var after = await schedule.GetCursorAsync(cancellationToken) ?? DateTimeOffset.UnixEpoch;
        var (days, sent, batches) = (new HashSet<string>(StringComparer.Ordinal), 0, 0);
        await foreach (var page in schedule.ReadPagesAsync(after, now, cancellationToken))
        {
            foreach (var group in page.GroupBy(e => (Day: BusinessCalendar.DayOf(e.DueAt), e.Kind)))
            {
                var day = group.Key.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                days.Add(day);
                foreach (var chunk in group.Chunk(OrdersPerMessage))
                {
                    await messages.SendAsync(FulfilmentQueues.FulfilmentDue, new FulfilmentDueMessage(day, group.Key.Kind, [.. chunk.Select(e => new DueOrder(e.OpenId, e.OrderNo))]),
                        cancellationToken: cancellationToken);
                    sent += chunk.Length;
                    batches++;
                }
            }
        }

        // Only once everything up to now is sent: a run that fails part-way is repeated from the same place.
        await schedule.SetCursorAsync(now, cancellationToken);
        if (sent > 0) logger.LogInformation("Fulfilment: {Orders} due orders over {Days} day(s) sent in {Messages} messages", sent, days.Count, batches);
        return new DueRun(days.Count, sent, batches);
    }

    /// <summary>The <c>fulfilment-due</c> consumer.</summary>
    public async Task HandleAsync(FulfilmentDueMessage message, CancellationToken cancellationToken)
    {
        foreach (var order in message.Orders)
        {
            if (message.Kind == DueKind.AutoConfirm) await receipts.AutoConfirmAsync(order.OpenId, order.OrderNo, cancellationToken);
            else await completions.CompleteAsync(order.OpenId, order.OrderNo, cancellationToken);
        }
    }
}
