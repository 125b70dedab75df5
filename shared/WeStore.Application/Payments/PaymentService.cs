using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Orders;
using WeStore.Domain.Catalog;
using WeStore.Domain.Common;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;
using WeStore.WeChat;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Payments;

/// <summary>The answer to WeChat Pay: 204, or a status with <c>{"code":"FAIL","message":...}</c> so it retries.</summary>
public sealed record NotifyAnswer(int Status, string? Message)
{
    public static readonly NotifyAnswer Accepted = new(204, null);
}

public enum RecordOutcome
{
    Paid,
    AlreadyRecorded,
    InProgress,
    StrayRefunded,
}

public sealed record RefundView(string OrderNo, string OutRefundNo, long Amount, string Status, long RefundedAmount, string OrderStatus);

/// <summary>
/// Money coming in and going back. A paid transaction (from a notification, the timeout's query, or the sweeper)
/// is recorded once: an outbox entry first, then the order's conditional transition, then the order-paid event,
/// then the entry is removed. Money the order cannot accept (paid after close, wrong amount) is flagged and
/// refunded in full, never fulfilled.
/// </summary>
public sealed class PaymentService(
    IOrderRepository orders,
    IPaidOutbox outbox,
    IStockRepository stock,
    WeStore.Application.Coupons.CouponService coupons,
    WeStore.Application.Loyalty.LoyaltyService loyalty,
    IMessageSender messages,
    WeChatPayClient pay,
    NotificationReader reader,
    IOptions<WeChatOptions> wechat,
    TimeProvider time,
    ILogger<PaymentService> logger)
{
    private const int MaxConflicts = 10;

    /// <summary>An outbox entry younger than this belongs to an attempt that may still be running.</summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(30);

    /// <summary>The sweeper leaves entries younger than this to the notification retries.</summary>
    public static readonly TimeSpan SweepAfter = TimeSpan.FromMinutes(2);

    public async Task<NotifyAnswer> HandleTransactionNotificationAsync(
        string? serial, string? timestamp, string? nonce, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var activity = WeStore.Application.Telemetry.WeStoreTelemetry.Start("payment.notify");
        var answer = await HandleTransactionCoreAsync(serial, timestamp, nonce, signature, body, cancellationToken);
        activity?.SetTag("westore.notify.status", answer.Status);
        WeStore.Application.Telemetry.WeStoreTelemetry.Notifications.Add(1,
            new KeyValuePair<string, object?>("outcome", answer.Status == NotifyAnswer.Accepted.Status ? "accepted" : "rejected"),
            new KeyValuePair<string, object?>("status", answer.Status));
        return answer;
    }

    private async Task<NotifyAnswer> HandleTransactionCoreAsync(
        string? serial, string? timestamp, string? nonce, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var verified = reader.Read(serial, timestamp, nonce, signature, body.Span);
        switch (verified.Failure)
        {
            case NotificationFailure.Unauthenticated:
                logger.LogWarning("A payment notification failed verification: {Reason}", verified.Reason);
                return new NotifyAnswer(401, "signature verification failed");
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
        if (transaction is null || openId is null || !OrderNumbers.IsValid(orderNo) || !Domain.Members.OpenIdRules.IsValid(openId))
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

        var outcome = await RecordUnderEntryAsync(order, transaction, tookOver, cancellationToken);
        await outbox.RemoveAsync(entry, cancellationToken);
        return outcome;
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
            await messages.SendAsync(OrderQueues.Paid, new OrderPaidMessage(order.OpenId, order.OrderNo), cancellationToken: cancellationToken);
        }

        // A stray payment's refund may not have reached WeChat Pay; the same out_refund_no refunds at most once.
        foreach (var refund in order.Refunds.Where(r => r.Status == RefundStatus.Pending))
        {
            await SendRefundAsync(order, refund.OutRefundNo, refund.Amount, refund.Reason, cancellationToken);
        }

        await outbox.RemoveAsync(entry, cancellationToken);
        return RecordOutcome.AlreadyRecorded;
    }

    private async Task<RecordOutcome> RecordUnderEntryAsync(Order order, PayTransaction transaction, bool tookOver, CancellationToken cancellationToken)
    {
        var attemptId = Guid.NewGuid().ToString("N");
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            if (order.TransactionId is not null && order.TransactionId == transaction.TransactionId)
            {
                // Recorded already. If this attempt's own save did it (applied, but the answer was lost and the
                // SDK's retry met the new version), or the entry was taken over from an attempt that stopped, the
                // event may never have gone: send it (the consumer is idempotent). Otherwise the attempt that
                // recorded it sent it before releasing the entry.
                if (order.Status == OrderStatus.Paid && (tookOver || order.PaidByAttempt == attemptId))
                {
                    await messages.SendAsync(OrderQueues.Paid, new OrderPaidMessage(order.OpenId, order.OrderNo), cancellationToken: cancellationToken);
                }

                return RecordOutcome.AlreadyRecorded;
            }

            var issue = Mismatch(order, transaction);
            if (issue is null && order.IsUnpaidAndOpen)
            {
                order.MarkPaid(transaction.TransactionId!, transaction.SuccessTime ?? time.GetUtcNow(), attemptId);
                if (await orders.TrySaveAsync(order, cancellationToken))
                {
                    await messages.SendAsync(OrderQueues.Paid, new OrderPaidMessage(order.OpenId, order.OrderNo), cancellationToken: cancellationToken);
                    logger.LogInformation("Order {OrderNo} paid", order.OrderNo);
                    return RecordOutcome.Paid;
                }
            }
            else if (issue is not null || order.IsFinishedWithoutPayment)
            {
                issue ??= $"paid after the order was {OrderView.StatusName(order.Status)}";
                if (await TakeStrayPaymentAsync(order, transaction, issue, cancellationToken)) return RecordOutcome.StrayRefunded;
            }
            else
            {
                // Paid under another transaction id: a second payment for one order. Refund it whole.
                if (await RefundForeignTransactionAsync(order, transaction, cancellationToken)) return RecordOutcome.StrayRefunded;
            }

            order = await orders.GetAsync(order.OpenId, order.OrderNo, cancellationToken)
                ?? throw new InvalidOperationException($"Order {order.OrderNo} disappeared.");
        }

        throw new InvalidOperationException($"Order {order.OrderNo} kept changing while its payment was recorded.");
    }

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

    /// <summary>Flags the order, keeps it unfulfilled, and refunds the whole transaction.</summary>
    private async Task<bool> TakeStrayPaymentAsync(Order order, PayTransaction transaction, string issue, CancellationToken cancellationToken)
    {
        var wasPending = order.IsUnpaidAndOpen;
        var amount = transaction.Amount?.Total ?? 0;
        var outRefundNo = order.OrderNo + "-STRAY";
        order.RecordStrayPayment(transaction.TransactionId!, amount, issue, time.GetUtcNow());
        order.RequestRefund(outRefundNo, amount, issue, time.GetUtcNow());
        if (!await orders.TrySaveAsync(order, cancellationToken)) return false;

        logger.LogError("Order {OrderNo} received a payment it cannot take ({Issue}); flagged and refunding {Amount} fen", order.OrderNo, issue, amount);
        if (wasPending)
        {
            foreach (var line in order.Lines) await stock.ReleaseAsync(order.OrderNo, line.SkuId, cancellationToken);
            if (order.CouponId is { } couponId) await coupons.ReturnAsync(order.OpenId, couponId, order.OrderNo, cancellationToken);
        }

        await SendRefundAsync(order, outRefundNo, amount, issue, cancellationToken);
        return true;
    }

    private async Task<bool> RefundForeignTransactionAsync(Order order, PayTransaction transaction, CancellationToken cancellationToken)
    {
        logger.LogError("Order {OrderNo} is already paid; a second transaction arrived and is refunded", order.OrderNo);
        var amount = transaction.Amount?.Total ?? 0;
        await SendRefundAsync(order, order.OrderNo + "-DUP", amount, "duplicate payment", cancellationToken, total: amount);
        return true;
    }

    /// <summary>An operator's refund: full when no amount is given; partial refunds need an idempotency key.</summary>
    public async Task<Result<RefundView>> RefundAsync(string orderNo, long? amount, string reason, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (!OrderNumbers.IsValid(orderNo)) return Error.NotFound("order_not_found", "No such order.");
        if (amount is not null && idempotencyKey is null)
        {
            return Error.Invalid("idempotency_key_required", "A partial refund needs an Idempotency-Key header, so a retry cannot refund twice.");
        }

        // WeChat Pay knows the payer of its transactions, so no scan of members is needed to find the order.
        var transaction = await pay.QueryByOutTradeNoAsync(orderNo, cancellationToken);
        var order = transaction?.Payer?.OpenId is { } openId ? await orders.GetAsync(openId, orderNo, cancellationToken) : null;
        if (order is null) return Error.NotFound("order_not_found", "No such order.");

        var outRefundNo = idempotencyKey is null ? orderNo + "-FULL" : orderNo + "-" + Short(idempotencyKey);
        for (var attempt = 0; ; attempt++)
        {
            var refundAmount = amount ?? order.PaidAmount - order.CommittedRefundAmount;
            var existing = order.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo);
            if (existing is not null) refundAmount = amount ?? existing.Amount;
            try
            {
                if (!order.RequestRefund(outRefundNo, refundAmount, reason, time.GetUtcNow())) break;
            }
            catch (IllegalOrderTransitionException)
            {
                return Error.Conflict("order_not_refundable", $"The order is {OrderView.StatusName(order.Status)}; only paid orders can be refunded.");
            }
            catch (ArgumentOutOfRangeException)
            {
                return Error.Conflict("refund_exceeds_paid", $"At most {order.PaidAmount - order.CommittedRefundAmount} fen can still be refunded.");
            }
            catch (InvalidOperationException)
            {
                return Error.Conflict("idempotency_key_reused", "This Idempotency-Key was used for another refund amount.");
            }

            if (await orders.TrySaveAsync(order, cancellationToken)) break;
            if (attempt >= MaxConflicts) return Error.Conflict("order_busy", "The order is changing; try again.");
            order = (await orders.GetAsync(order.OpenId, orderNo, cancellationToken))!;
        }

        var refund = order.Refunds.First(r => r.OutRefundNo == outRefundNo);
        if (refund.Status == RefundStatus.Pending)
        {
            var answer = await SendRefundAsync(order, outRefundNo, refund.Amount, reason, cancellationToken);
            if (answer?.Status is "SUCCESS" or "CLOSED") order = await CompleteRefundAsync(order, outRefundNo, answer.Status == "SUCCESS", cancellationToken) ?? order;
            refund = order.Refunds.First(r => r.OutRefundNo == outRefundNo);
        }

        return new RefundView(orderNo, outRefundNo, refund.Amount, refund.Status.ToString().ToLowerInvariant(), order.RefundedAmount, OrderView.StatusName(order.Status));
    }

    public async Task<NotifyAnswer> HandleRefundNotificationAsync(
        string? serial, string? timestamp, string? nonce, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var verified = reader.Read(serial, timestamp, nonce, signature, body.Span);
        if (verified.Failure == NotificationFailure.Unauthenticated) return new NotifyAnswer(401, "signature verification failed");
        if (verified.Failure != NotificationFailure.None) return new NotifyAnswer(400, verified.Reason);

        var refund = verified.Resource<RefundNotificationResource>();
        if (refund?.OutTradeNo is null || refund.OutRefundNo is null || refund.MchId != pay.Options.MchId || !OrderNumbers.IsValid(refund.OutTradeNo))
        {
            return new NotifyAnswer(400, "the refund resource is incomplete");
        }

        var transaction = await pay.QueryByOutTradeNoAsync(refund.OutTradeNo, cancellationToken);
        var order = transaction?.Payer?.OpenId is { } openId ? await orders.GetAsync(openId, refund.OutTradeNo, cancellationToken) : null;
        if (order is null || order.Refunds.All(r => r.OutRefundNo != refund.OutRefundNo))
        {
            logger.LogError("A refund notification names an unknown refund {OutRefundNo}", refund.OutRefundNo);
            return new NotifyAnswer(404, "unknown refund");
        }

        switch (verified.Envelope!.EventType)
        {
            case "REFUND.SUCCESS":
                await CompleteRefundAsync(order, refund.OutRefundNo, succeeded: true, cancellationToken);
                break;
            case "REFUND.CLOSED":
                await CompleteRefundAsync(order, refund.OutRefundNo, succeeded: false, cancellationToken);
                break;
            default:
                logger.LogError("Refund {OutRefundNo} of {OrderNo} is {EventType}: it needs an operator in the merchant platform",
                    refund.OutRefundNo, refund.OutTradeNo, verified.Envelope.EventType);
                break;
        }

        return NotifyAnswer.Accepted;
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

                    await RecordUnderEntryAsync(order, transaction, tookOver: true, cancellationToken);
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

    /// <summary>Asks WeChat Pay to refund; <paramref name="total"/> is the transaction's total (the order's paid amount unless given).</summary>
    private async Task<RefundDomesticRefund?> SendRefundAsync(
        Order order, string outRefundNo, long amount, string reason, CancellationToken cancellationToken, long? total = null)
    {
        try
        {
            return await pay.RefundAsync(new RefundDomesticRefundsRequest
            {
                OutTradeNo = order.OrderNo,
                OutRefundNo = outRefundNo,
                Reason = reason.Length <= 80 ? reason : reason[..80],
                NotifyUrl = NullIfEmpty(pay.Options.RefundNotifyUrl),
                Amount = new RefundAmount { Refund = amount, Total = total ?? order.PaidAmount },
            }, cancellationToken);
        }
        catch (WeChatPayException e)
        {
            logger.LogError("WeChat Pay refused refund {OutRefundNo} of {OrderNo}: {Status} {Code}", outRefundNo, order.OrderNo, e.Status, e.Code);
            return null;
        }
    }

    private async Task<Order?> CompleteRefundAsync(Order order, string outRefundNo, bool succeeded, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var before = order.Refunds.First(r => r.OutRefundNo == outRefundNo).Status;
            order.CompleteRefund(outRefundNo, succeeded);
            if (before != RefundStatus.Pending)
            {
                // A redelivered success finishes what a crash may have interrupted (the clawback is once per refund).
                if (before == RefundStatus.Succeeded) await ClawBackAsync(order, outRefundNo, cancellationToken);
                return order;
            }

            if (await orders.TrySaveAsync(order, cancellationToken))
            {
                if (succeeded) await ClawBackAsync(order, outRefundNo, cancellationToken);

                // A fully refunded order gives its coupon back (the wallet shows it expired if its time has passed).
                if (order.Status == OrderStatus.Refunded && order.CouponId is { } couponId)
                {
                    await coupons.ReturnAsync(order.OpenId, couponId, order.OrderNo, cancellationToken);
                }

                return order;
            }
            order = (await orders.GetAsync(order.OpenId, order.OrderNo, cancellationToken))!;
        }

        return null;
    }

    /// <summary>The points the refunded share of the order earned go back (not for stray payments, which earned none).</summary>
    private Task ClawBackAsync(Order order, string outRefundNo, CancellationToken cancellationToken)
        => order.PaymentIssue is not null
            ? Task.CompletedTask
            : loyalty.ClawBackAsync(order, outRefundNo, order.Refunds.First(r => r.OutRefundNo == outRefundNo).Amount, cancellationToken);

    private static string Short(string key)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
