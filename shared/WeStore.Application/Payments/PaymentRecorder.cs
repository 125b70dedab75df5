using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Attribution;
using WeStore.Application.Orders;
using WeStore.Application.Telemetry;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.Domain.Members;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;
using WeStore.WeChat;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Payments;

/// <summary>
/// Money coming in. A paid transaction (from a notification, the timeout's query, or the sweeper) is recorded once:
/// an outbox entry first, then the order's conditional transition, then the order-paid event, then the entry is
/// removed. Money the order cannot accept (paid after close, the wrong amount, a second transaction) is flagged and
/// refunded in full, never fulfilled.
/// </summary>
public sealed class PaymentRecorder(
    IOrderRepository orders,
    IPaidOutbox outbox,
    UnpaidOrderRelease release,
    RefundService refunds,
    OrderAttributionCopier attribution,
    IMessageSender messages,
    WeChatPayClient pay,
    WeStore.Domain.Reconciliation.IPaymentLedger ledger,
    NotificationReader reader,
    IOptions<WeChatOptions> wechat,
    TimeProvider time,
    ILogger<PaymentRecorder> logger)
{
    /// <summary>An outbox entry younger than this belongs to an attempt that may still be running.</summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(30);

    /// <summary>The sweeper leaves entries younger than this to the notification retries.</summary>
    public static readonly TimeSpan SweepAfter = TimeSpan.FromMinutes(2);

    /// <summary><c>TRANSACTION.SUCCESS</c>, verified, decrypted and checked against the order before anything is written.</summary>
    public async Task<NotifyAnswer> HandleNotificationAsync(
        string? serial, string? timestamp, string? nonce, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var activity = WeStoreTelemetry.Start("payment.notify");
        var answer = await HandleNotificationCoreAsync(serial, timestamp, nonce, signature, body, cancellationToken);
        activity?.SetTag("westore.notify.status", answer.Status);
        WeStoreTelemetry.Notifications.Add(1,
            new KeyValuePair<string, object?>("outcome", answer.Status == NotifyAnswer.Accepted.Status ? "accepted" : "rejected"),
            new KeyValuePair<string, object?>("status", answer.Status));
        return answer;
    }

    private async Task<NotifyAnswer> HandleNotificationCoreAsync(
        string? serial, string? timestamp, string? nonce, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var verified = reader.Read(serial, timestamp, nonce, signature, body.Span);
        switch (verified.Failure)
        {
            case NotificationFailure.Unauthenticated:
                logger.LogWarning("A payment notification failed verification: {Reason}", verified.Reason);
                return NotifyAnswer.Unauthenticated;
            case NotificationFailure.Malformed or NotificationFailure.Undecryptable:
                logger.LogWarning("A payment notification could not be read: {Reason}", verified.Reason);
                return new NotifyAnswer(400, verified.Reason);
        }

        if (verified.Envelope!.EventType != "TRANSACTION.SUCCESS")
        {
            logger.LogInformation("Ignoring payment notification of type {EventType}", verified.Envelope.EventType);
            return NotifyAnswer.Accepted;
        }

        var transaction = verified.Resource<PayTransaction>();
        var openId = transaction?.Payer?.OpenId;
        var orderNo = transaction?.OutTradeNo;
        if (transaction is null || openId is null || !OrderNumbers.IsValid(orderNo) || !OpenIdRules.IsValid(openId))
        {
            return new NotifyAnswer(400, "the transaction lacks a valid payer or out_trade_no");
        }

        var order = await orders.GetAsync(openId, orderNo!, cancellationToken);
        if (order is null)
        {
            logger.LogError("A payment notification names an unknown order {OrderNo}", orderNo);
            return new NotifyAnswer(404, "unknown order");
        }

        var outcome = await RecordAsync(order, transaction, cancellationToken);
        return outcome == RecordOutcome.InProgress ? new NotifyAnswer(500, "the payment is being recorded; retry") : NotifyAnswer.Accepted;
    }

    /// <summary>Records a paid transaction for an order, once.</summary>
    public async Task<RecordOutcome> RecordAsync(Order order, PayTransaction transaction, CancellationToken cancellationToken)
    {
        if (order.TransactionId is not null && order.TransactionId == transaction.TransactionId)
        {
            return await FinishIfStoppedAsync(order, cancellationToken);
        }

        // The order's attribution copy rides on the transition; its read overlaps the outbox insert.
        var copy = attribution.ReadAsync(order, cancellationToken);
        var entry = await outbox.TryAddAsync(order.OrderNo, order.OpenId, time.GetUtcNow(), cancellationToken);
        var tookOver = false;
        if (entry is null)
        {
            // Another attempt holds the entry. A young one may still be running; an old one stopped (a crash, a
            // storage failure) before the order was marked paid, and this copy takes its work over.
            var held = await outbox.GetAsync(order.OrderNo, cancellationToken);
            if (held is not null && time.GetUtcNow() - held.CreatedAt < InFlightGrace)
            {
                logger.LogInformation("Payment of {OrderNo} is already being recorded by another request", order.OrderNo);
                return RecordOutcome.InProgress;
            }

            if (held is null) return RecordOutcome.InProgress; // it just finished: the retry will find the order paid
            logger.LogWarning("Taking over the stopped recording of {OrderNo}'s payment", order.OrderNo);
            entry = held;
            tookOver = true;
        }

        var outcome = await RecordUnderEntryAsync(order, transaction, tookOver, copy, cancellationToken);
        await outbox.RemoveAsync(entry, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// The sweeper: outbox entries left behind (a crash or an enqueue failure between the transition and the
    /// event) are driven to the end, by asking WeChat Pay for the truth.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var finished = 0;
        foreach (var entry in await outbox.ListAsync(cancellationToken))
        {
            if (time.GetUtcNow() - entry.CreatedAt < SweepAfter) continue;
            try
            {
                var order = await orders.GetAsync(entry.OpenId, entry.OrderNo, cancellationToken);
                var transaction = order is null ? null : await pay.QueryByOutTradeNoAsync(entry.OrderNo, cancellationToken);
                if (order is not null && transaction?.IsPaid == true)
                {
                    if (order.TransactionId == transaction.TransactionId)
                    {
                        await FinishIfStoppedAsync(order, cancellationToken);
                        finished++;
                        continue;
                    }

                    await RecordUnderEntryAsync(order, transaction, tookOver: true, attribution.ReadAsync(order, cancellationToken), cancellationToken);
                }

                await outbox.RemoveAsync(entry, cancellationToken);
                finished++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Sweeping the payment of {OrderNo} failed; it stays for the next run", entry.OrderNo);
            }
        }

        return finished;
    }

    /// <summary>
    /// The order already carries this payment. If the attempt that recorded it stopped before its event was sent
    /// (its outbox entry is still there and old enough not to be running), send the event now.
    /// </summary>
    private async Task<RecordOutcome> FinishIfStoppedAsync(Order order, CancellationToken cancellationToken)
    {
        var entry = await outbox.GetAsync(order.OrderNo, cancellationToken);
        if (entry is null) return RecordOutcome.AlreadyRecorded;
        if (time.GetUtcNow() - entry.CreatedAt < InFlightGrace) return RecordOutcome.InProgress;

        if (order.Status == OrderStatus.Paid)
        {
            logger.LogWarning("Finishing the payment of {OrderNo}: its order-paid event may never have been sent", order.OrderNo);
            await SendPaidAsync(order, cancellationToken);
        }

        // A stray payment's refund may not have reached WeChat Pay; the same out_refund_no refunds at most once.
        foreach (var refund in order.Refunds.Where(r => r.Status == RefundStatus.Pending).ToList())
        {
            order = await refunds.SubmitAsync(order, refund.OutRefundNo, cancellationToken);
        }

        await outbox.RemoveAsync(entry, cancellationToken);
        return RecordOutcome.AlreadyRecorded;
    }

    private Task<RecordOutcome> RecordUnderEntryAsync(
        Order order, PayTransaction transaction, bool tookOver, Task<OrderAttribution?> copy, CancellationToken cancellationToken)
    {
        var attemptId = Guid.NewGuid().ToString("N");
        return Optimistic.RetryAsync<RecordOutcome>($"Order {order.OrderNo}", async attempt =>
        {
            if (attempt > 0)
            {
                order = await orders.GetAsync(order.OpenId, order.OrderNo, cancellationToken)
                    ?? throw new InvalidOperationException($"Order {order.OrderNo} disappeared.");
            }

            if (order.TransactionId is not null && order.TransactionId == transaction.TransactionId)
            {
                // Recorded already. If this attempt's own save did it (applied, but the answer was lost and the
                // SDK's retry met the new version), or the entry was taken over from an attempt that stopped, the
                // event may never have gone: send it (the consumer is idempotent). Otherwise the attempt that
                // recorded it sent it before releasing the entry.
                if (order.Status == OrderStatus.Paid && (tookOver || order.PaidByAttempt == attemptId)) await SendPaidAsync(order, cancellationToken);
                return RecordOutcome.AlreadyRecorded;
            }

            var issue = Mismatch(order, transaction);
            OrderAttributionCopier.Attach(order, await copy);
            if (issue is null && order.IsUnpaidAndOpen)
            {
                order.MarkPaid(transaction.TransactionId!, transaction.SuccessTime ?? time.GetUtcNow(), attemptId);
                if (!await orders.TrySaveAsync(order, cancellationToken)) return Attempt<RecordOutcome>.Again;
                await SendPaidAsync(order, cancellationToken);
                logger.LogInformation("Order {OrderNo} paid", order.OrderNo);
                return RecordOutcome.Paid;
            }

            if (issue is not null || order.IsFinishedWithoutPayment)
            {
                issue ??= $"paid after the order was {OrderView.StatusName(order.Status)}";
                return await TakeStrayPaymentAsync(order, transaction, issue, cancellationToken) ? RecordOutcome.StrayRefunded : Attempt<RecordOutcome>.Again;
            }

            // Paid under another transaction id: a second payment for one order. Refund it whole.
            logger.LogError("Order {OrderNo} is already paid; a second transaction arrived and is refunded", order.OrderNo);
            var amount = transaction.Amount?.Total ?? 0;
            await refunds.RequestAtWeChatPayAsync(order, order.OrderNo + "-DUP", amount, "duplicate payment", cancellationToken, total: amount);
            return RecordOutcome.StrayRefunded;
        }, cancellationToken);
    }

    private Task SendPaidAsync(Order order, CancellationToken cancellationToken)
        => messages.SendAsync(OrderQueues.Paid, new OrderPaidMessage(order.OpenId, order.OrderNo), cancellationToken: cancellationToken);

    private string? Mismatch(Order order, PayTransaction t)
    {
        if (t.MchId != pay.Options.MchId || t.AppId != wechat.Value.AppId || t.OutTradeNo != order.OrderNo || string.IsNullOrEmpty(t.TransactionId))
        {
            return "the transaction belongs to another merchant, app or order";
        }

        return t.Amount?.Total != order.Amounts.Payable || (t.Amount.Currency ?? "CNY") != "CNY"
            ? $"amount mismatch: paid {t.Amount?.Total} {t.Amount?.Currency}, order payable {order.Amounts.Payable} CNY"
            : null;
    }

    /// <summary>Flags the order, keeps it unfulfilled, gives back what it held if it was still open, and refunds the whole transaction.</summary>
    private async Task<bool> TakeStrayPaymentAsync(Order order, PayTransaction transaction, string issue, CancellationToken cancellationToken)
    {
        var wasPending = order.IsUnpaidAndOpen;
        var amount = transaction.Amount?.Total ?? 0;
        var outRefundNo = order.OrderNo + "-STRAY";
        order.RecordStrayPayment(transaction.TransactionId!, amount, issue, time.GetUtcNow());
        order.RequestRefund(outRefundNo, amount, issue, time.GetUtcNow());
        if (!await orders.TrySaveAsync(order, cancellationToken)) return false;

        logger.LogError("Order {OrderNo} received a payment it cannot take ({Issue}); flagged and refunding {Amount} fen", order.OrderNo, issue, amount);
        // An order that was closed or cancelled gave back what it held then; one this payment closes gives it back now.
        if (wasPending) await release.ReleaseAsync(order, cancellationToken);
        await ledger.RecordAsync(LedgerEntries.Payment(order), cancellationToken);
        await refunds.SubmitAsync(order, outRefundNo, cancellationToken);
        return true;
    }
}
