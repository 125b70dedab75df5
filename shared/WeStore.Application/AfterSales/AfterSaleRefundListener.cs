using Microsoft.Extensions.Logging;
using WeStore.Application.Fulfilment;
using WeStore.Application.Payments;
using WeStore.Application.Telemetry;
using WeStore.Domain.AfterSales;
using WeStore.Domain.Common;
using WeStore.Domain.Operations;
using WeStore.Domain.Orders;

namespace WeStore.Application.AfterSales;

/// <summary>
/// Brings an after-sale request in line with its refund's verdict (the order already holds it): refunded, or stopped
/// for an operator (ABNORMAL or CLOSED, with an alert). Idempotent: a repeat finds the request already there.
/// </summary>
public sealed class AfterSaleRefundListener(
    IAfterSaleRepository afterSales,
    IAfterSaleIndex index,
    IOperatorAlerts alerts,
    CompletionService completion,
    TimeProvider time,
    ILogger<AfterSaleRefundListener> logger) : IRefundOutcomeListener
{
    public async Task OnRefundAsync(Order order, string outRefundNo, RefundVerdict verdict, CancellationToken cancellationToken)
    {
        var claim = order.AfterSales.FirstOrDefault(a => a.OutRefundNo == outRefundNo);
        if (claim is null) return;
        AfterSaleStatus? before = null;
        var saved = await Optimistic.RetryAsync<AfterSale?>($"After-sale {claim.Id}", async _ =>
        {
            var current = await afterSales.GetAsync(order.OpenId, claim.Id, cancellationToken);
            if (current is null || current.OutRefundNo != outRefundNo) return Done(null);
            before = current.Status;
            var now = time.GetUtcNow();
            var move = verdict switch
            {
                RefundVerdict.Succeeded => current.RefundSucceeded(now),
                RefundVerdict.Abnormal => current.RefundStopped(RefundProblem.Abnormal, now),
                _ => current.RefundStopped(RefundProblem.Closed, now),
            };
            if (move != AfterSaleMove.Moved) return Done(current);
            return await afterSales.TrySaveAsync(current, null, cancellationToken) ? Done(current) : Attempt<AfterSale?>.Again;
        }, cancellationToken);
        if (saved is null) return;

        await index.SyncAsync(saved, before, cancellationToken);
        if (saved.Status == AfterSaleStatus.Refunded)
        {
            await completion.ScheduleAsync(order, cancellationToken);
        }
        else if (saved.Status == AfterSaleStatus.RefundAbnormal && before != AfterSaleStatus.RefundAbnormal)
        {
            logger.LogError("After-sale {AfterSaleId}: refund {OutRefundNo} stopped ({Problem}); an operator must retry it", saved.Id, outRefundNo, saved.Problem);
            WeStoreTelemetry.OperatorAlerts.Add(1, new KeyValuePair<string, object?>("kind", AlertKinds.RefundAbnormal));
            await alerts.RecordAsync(new OperatorAlert(saved.Id, AlertKinds.RefundAbnormal,
                $"The refund of after-sale {saved.Id} stopped ({saved.Problem}): retry it (POST /api/manage/after-sales/{saved.Id}/retry-refund).", order.OrderNo, time.GetUtcNow()), cancellationToken);
        }

        static Attempt<AfterSale?> Done(AfterSale? afterSale) => afterSale;
    }
}

/// <summary>An open after-sale request holds an order back from completing.</summary>
public sealed class AfterSaleCompletionGate : ICompletionGate
{
    public Task<string?> HoldsAsync(Order order, CancellationToken cancellationToken)
        => Task.FromResult(order.HasOpenAfterSale ? "an after-sale request is open" : null);
}
