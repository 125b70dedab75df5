using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Application.Loyalty;
using WeStore.Application.Orders;
using WeStore.Domain.Common;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Payments;

/// <summary>Told when a refund reaches WeChat Pay's verdict (an after-sale request follows its refund); idempotent.</summary>
public interface IRefundOutcomeListener
{
    Task OnRefundAsync(Order order, string outRefundNo, RefundVerdict verdict, CancellationToken cancellationToken);
}

/// <summary>
/// Money going back. A refund is first recorded on the order (pending, under its out_refund_no, so a retry can never
/// ask twice), then requested at WeChat Pay, then followed to its end: WeChat Pay's answer, its refund notification
/// or a query (a delayed <c>refund-follow</c> message, 1 minute, then backing off to 30) settle it, whichever comes
/// first, through one conditional transition. A success claws back the points the refunded share earned and, once the
/// whole order is refunded, returns its coupon; ABNORMAL waits for an operator (the abnormal-refund API); CLOSED
/// frees the amount for a new out_refund_no. WeChat Pay's limits are the order's: one year, 50 refunds, a minute apart.
/// </summary>
public sealed class RefundService(
    IOrderRepository orders,
    CouponWallet wallet,
    LoyaltyService loyalty,
    WeChatPayClient pay,
    NotificationReader reader,
    IMessageSender messages,
    WeStore.Domain.Reconciliation.IPaymentLedger ledger,
    IEnumerable<IRefundOutcomeListener> listeners,
    TimeProvider time,
    ILogger<RefundService> logger)
{
    /// <summary>Polls 1 minute after the request, five times, then 5, 10, 20, and every 30 minutes (WeChat Pay's advice).</summary>
    public static TimeSpan FollowDelay(int attempt) => attempt switch
    {
        < 5 => TimeSpan.FromMinutes(1),
        5 => TimeSpan.FromMinutes(5),
        6 => TimeSpan.FromMinutes(10),
        7 => TimeSpan.FromMinutes(20),
        _ => TimeSpan.FromMinutes(30),
    };

    /// <summary>CLOSED comes within 7 days; following stops (and says so) after 8.</summary>
    public const int MaxFollowAttempts = 8 + (8 * 24 * 2);

    /// <summary>An operator's refund: full when no amount is given; partial refunds need an idempotency key.</summary>
    public async Task<Result<RefundView>> RefundAsync(string orderNo, long? amount, string reason, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (!OrderNumbers.IsValid(orderNo)) return Error.NotFound("order_not_found", "No such order.");
        if (amount is not null && idempotencyKey is null)
        {
            return Error.Invalid("idempotency_key_required", "A partial refund needs an Idempotency-Key header, so a retry cannot refund twice.");
        }

        if (await FindAsync(orderNo, cancellationToken) is not { } order) return Error.NotFound("order_not_found", "No such order.");
        return await RefundAsync(order, amount, reason, idempotencyKey, cancellationToken);
    }

    /// <summary>The same, for an order already read (a failed group-buy team's): full with no key, otherwise under the key's number.</summary>
    public async Task<Result<RefundView>> RefundAsync(Order order, long? amount, string reason, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var orderNo = order.OrderNo;
        var outRefundNo = idempotencyKey is null ? orderNo + "-FULL" : orderNo + "-" + Short(idempotencyKey);
        var recorded = await Optimistic.RetryAsync<Result<Order>>($"Order {orderNo}", async attempt =>
        {
            if (attempt > 0) order = await orders.GetAsync(order.OpenId, orderNo, cancellationToken) ?? order;
            var existing = order.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo);
            var refundAmount = amount ?? existing?.Amount ?? order.RefundableAmount;
            switch (order.RequestRefund(outRefundNo, refundAmount, reason, time.GetUtcNow()))
            {
                case RefundRequestOutcome.AlreadyRequested:
                    return Done(order);
                case RefundRequestOutcome.NotRefundable:
                    return Done(Error.Conflict("order_not_refundable", $"The order is {OrderView.StatusName(order.Status)}; only paid orders can be refunded."));
                case RefundRequestOutcome.ExceedsRefundable:
                    return Done(Error.Conflict("refund_exceeds_paid", $"At most {order.RefundableAmount} fen can still be refunded."));
                case RefundRequestOutcome.NumberReusedForAnotherAmount:
                    return Done(Error.Conflict("idempotency_key_reused", "This Idempotency-Key was used for another refund amount."));
                case RefundRequestOutcome.TooOld:
                    return Done(Error.Conflict("refund_too_old", "WeChat Pay refunds a payment for one year only."));
                case RefundRequestOutcome.TooMany:
                    return Done(Error.Conflict("refund_limit_reached", $"WeChat Pay takes at most {Order.MaxRefunds} refunds per payment."));
                case RefundRequestOutcome.TooSoon:
                    var wait = (order.NextRefundAllowedAt ?? time.GetUtcNow()) - time.GetUtcNow();
                    return Done(Error.TooManyRequests("refund_too_soon", "WeChat Pay wants a minute between refunds of one payment.", wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait));
                default:
                    return await orders.TrySaveAsync(order, cancellationToken) ? Done(order) : Attempt<Result<Order>>.Again;
            }
        }, cancellationToken);
        if (!recorded.IsSuccess) return recorded.Error!;
        static Attempt<Result<Order>> Done(Result<Order> result) => result;
        order = recorded.Value!;

        var refund = order.Refunds.First(r => r.OutRefundNo == outRefundNo);
        if (refund.Status == RefundStatus.Pending)
        {
            order = await SubmitAsync(order, outRefundNo, cancellationToken);
            refund = order.Refunds.First(r => r.OutRefundNo == outRefundNo);
        }

        return new RefundView(orderNo, outRefundNo, refund.Amount, refund.Status.ToString().ToLowerInvariant(), order.RefundedAmount, OrderView.StatusName(order.Status));
    }

    /// <summary><c>REFUND.SUCCESS</c>, <c>REFUND.CLOSED</c> or <c>REFUND.ABNORMAL</c>, verified and decrypted.</summary>
    public async Task<NotifyAnswer> HandleNotificationAsync(
        string? serial, string? timestamp, string? nonce, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var verified = reader.Read(serial, timestamp, nonce, signature, body.Span);
        if (verified.Failure == NotificationFailure.Unauthenticated) return NotifyAnswer.Unauthenticated;
        if (verified.Failure != NotificationFailure.None) return new NotifyAnswer(400, verified.Reason);

        var refund = verified.Resource<RefundNotificationResource>();
        if (refund?.OutTradeNo is null || refund.OutRefundNo is null || refund.MchId != pay.Options.MchId || !OrderNumbers.IsValid(refund.OutTradeNo))
        {
            return new NotifyAnswer(400, "the refund resource is incomplete");
        }

        var order = await FindAsync(refund.OutTradeNo, cancellationToken);
        if (order is null || order.Refunds.All(r => r.OutRefundNo != refund.OutRefundNo))
        {
            logger.LogError("A refund notification names an unknown refund {OutRefundNo}", refund.OutRefundNo);
            return new NotifyAnswer(404, "unknown refund");
        }

        switch (verified.Envelope!.EventType)
        {
            case "REFUND.SUCCESS":
                await CompleteAsync(order, refund.OutRefundNo, succeeded: true, cancellationToken);
                break;
            case "REFUND.CLOSED":
                await CompleteAsync(order, refund.OutRefundNo, succeeded: false, cancellationToken);
                break;
            case "REFUND.ABNORMAL":
                await CompleteAsync(order, refund.OutRefundNo, RefundVerdict.Abnormal, cancellationToken);
                break;
            default:
                logger.LogWarning("Refund {OutRefundNo} of {OrderNo}: event {EventType} is not one the store acts on", refund.OutRefundNo, refund.OutTradeNo, verified.Envelope.EventType);
                break;
        }

        return NotifyAnswer.Accepted;
    }

    /// <summary>
    /// Asks WeChat Pay to refund; <paramref name="total"/> is the transaction's total (the order's paid amount unless
    /// given). Null when WeChat Pay refused: the refund stays pending on the order, and the same out_refund_no asks
    /// again (WeChat Pay refunds each number at most once).
    /// </summary>
    public async Task<RefundDomesticRefund?> RequestAtWeChatPayAsync(
        Order order, string outRefundNo, long amount, string reason, CancellationToken cancellationToken, long? total = null)
    {
        try
        {
            return await pay.RefundAsync(new RefundDomesticRefundsRequest
            {
                OutTradeNo = order.OrderNo,
                OutRefundNo = outRefundNo,
                Reason = reason.Length <= 80 ? reason : reason[..80],
                NotifyUrl = string.IsNullOrWhiteSpace(pay.Options.RefundNotifyUrl) ? null : pay.Options.RefundNotifyUrl,
                Amount = new RefundAmount { Refund = amount, Total = total ?? order.PaidAmount },
            }, cancellationToken);
        }
        catch (WeChatPayException e)
        {
            logger.LogError("WeChat Pay refused refund {OutRefundNo} of {OrderNo}: {Status} {Code}", outRefundNo, order.OrderNo, e.Status, e.Code);
            return null;
        }
    }

    /// <summary>
    /// Asks WeChat Pay for a refund recorded on the order and applies its answer: a final one settles the refund, an
    /// ABNORMAL one marks it, PROCESSING (or no answer) is followed by a delayed query. The order as it stands after.
    /// </summary>
    public async Task<Order> SubmitAsync(Order order, string outRefundNo, CancellationToken cancellationToken)
    {
        var refund = order.Refunds.First(r => r.OutRefundNo == outRefundNo);
        // In the day's book before WeChat Pay is asked: a refund it takes is never missing from reconciliation.
        await ledger.RecordAsync(LedgerEntries.Refund(order, refund), cancellationToken);
        var answer = await RequestAtWeChatPayAsync(order, outRefundNo, refund.Amount, refund.Reason, cancellationToken);
        if (Verdict(answer?.Status) is { } verdict) return await CompleteAsync(order, outRefundNo, verdict, cancellationToken);
        await FollowLaterAsync(order, outRefundNo, attempt: 0, cancellationToken);
        return order;
    }

    /// <summary>The <c>refund-follow</c> consumer: where WeChat Pay is with the refund, applied; still processing, asked again later.</summary>
    public async Task FollowAsync(RefundFollowMessage message, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(message.OpenId, message.OrderNo, cancellationToken);
        var refund = order?.Refunds.FirstOrDefault(r => r.OutRefundNo == message.OutRefundNo);
        if (order is null || refund is null) return;
        if (refund.Status is RefundStatus.Succeeded or RefundStatus.Failed or RefundStatus.Abnormal)
        {
            // Settled meanwhile (the notification won the race): only make sure what follows the verdict has happened.
            await NotifyListenersAsync(order, refund.OutRefundNo, cancellationToken);
            return;
        }

        var state = await QueryOrAskAgainAsync(order, refund, cancellationToken);
        if (Verdict(state?.Status) is { } verdict)
        {
            await CompleteAsync(order, refund.OutRefundNo, verdict, cancellationToken);
            return;
        }

        if (message.Attempt + 1 >= MaxFollowAttempts)
        {
            logger.LogError("Refund {OutRefundNo} of {OrderNo} is still {Status} after {Attempts} queries; it needs an operator", refund.OutRefundNo, order.OrderNo, state?.Status, message.Attempt + 1);
            return;
        }

        await FollowLaterAsync(order, refund.OutRefundNo, message.Attempt + 1, cancellationToken);
    }

    /// <summary>
    /// Where a pending refund is at WeChat Pay, applied if final (a failed group-buy team's settlement asks each round
    /// rather than waiting for the next follow-up); nothing is scheduled. The order as it stands after.
    /// </summary>
    public async Task<Order> RefreshAsync(Order order, string outRefundNo, CancellationToken cancellationToken)
    {
        var refund = order.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo);
        if (refund?.Status != RefundStatus.Pending) return order;
        var state = await QueryOrAskAgainAsync(order, refund, cancellationToken);
        return Verdict(state?.Status) is { } verdict ? await CompleteAsync(order, outRefundNo, verdict, cancellationToken) : order;
    }

    /// <summary>WeChat Pay's refund; when it never got the request (refused, or lost), asked again: the same number refunds at most once.</summary>
    private async Task<RefundDomesticRefund?> QueryOrAskAgainAsync(Order order, OrderRefund refund, CancellationToken cancellationToken)
        => await pay.QueryRefundAsync(refund.OutRefundNo, cancellationToken)
            ?? await RequestAtWeChatPayAsync(order, refund.OutRefundNo, refund.Amount, refund.Reason, cancellationToken);

    /// <summary>A sensitive field (a bank account, a real name) encrypted for WeChat Pay.</summary>
    public string EncryptSensitive(string plaintext) => pay.EncryptSensitive(plaintext);

    /// <summary>
    /// An ABNORMAL refund paid out again through WeChat Pay's abnormal-refund API (<paramref name="request"/> says
    /// where to); it is pending under the same number after, and followed. Null when the refund is not abnormal here.
    /// </summary>
    public async Task<Order?> RetryAbnormalAsync(Order order, string outRefundNo, RefundDomesticRefundsApplyAbnormalRefundRequest request, CancellationToken cancellationToken)
    {
        if (order.Refunds.FirstOrDefault(r => r.OutRefundNo == outRefundNo)?.Status != RefundStatus.Abnormal) return null;
        var state = await pay.QueryRefundAsync(outRefundNo, cancellationToken);
        if (state?.RefundId is not { } refundId) throw new WeStore.WeChat.WeChatUnavailableException("refund query", "WeChat Pay did not name the refund");
        if (state.Status == "ABNORMAL") await pay.ApplyAbnormalRefundAsync(refundId, request, cancellationToken);
        var reopened = await Optimistic.RetryAsync<Order>($"Order {order.OrderNo}", async attempt =>
        {
            if (attempt > 0) order = await orders.GetAsync(order.OpenId, order.OrderNo, cancellationToken) ?? order;
            if (!order.ReopenAbnormalRefund(outRefundNo)) return order;
            return await orders.TrySaveAsync(order, cancellationToken) ? order : Attempt<Order>.Again;
        }, cancellationToken);
        logger.LogWarning("Abnormal refund {OutRefundNo} of {OrderNo} re-applied ({Type})", outRefundNo, order.OrderNo, request.Type);
        await FollowLaterAsync(reopened, outRefundNo, attempt: 0, cancellationToken);
        return reopened;
    }

    public Task<Order> CompleteAsync(Order order, string outRefundNo, bool succeeded, CancellationToken cancellationToken)
        => CompleteAsync(order, outRefundNo, succeeded ? RefundVerdict.Succeeded : RefundVerdict.Closed, cancellationToken);

    /// <summary>
    /// WeChat Pay's verdict, applied once: the refund succeeds, closes or turns abnormal on the order, then a success
    /// claws back the points and a whole refund returns the coupon, and the listeners (an after-sale request) are
    /// told. A repeat finishes what a crash may have interrupted.
    /// </summary>
    public async Task<Order> CompleteAsync(Order order, string outRefundNo, RefundVerdict verdict, CancellationToken cancellationToken)
    {
        var changed = false;
        order = await Optimistic.RetryAsync<Order>($"Order {order.OrderNo}", async attempt =>
        {
            if (attempt > 0) order = await orders.GetAsync(order.OpenId, order.OrderNo, cancellationToken) ?? order;
            var before = order.Refunds.First(r => r.OutRefundNo == outRefundNo).Status;
            order.CompleteRefund(outRefundNo, verdict);
            if (order.Refunds.First(r => r.OutRefundNo == outRefundNo).Status == before) return order;
            if (!await orders.TrySaveAsync(order, cancellationToken)) return Attempt<Order>.Again;
            changed = true;
            return order;
        }, cancellationToken);

        var status = order.Refunds.First(r => r.OutRefundNo == outRefundNo).Status;
        if (status == RefundStatus.Succeeded)
        {
            await ClawBackAsync(order, outRefundNo, cancellationToken);
            // A fully refunded order gives its coupon back (the wallet shows it expired if its time has passed).
            if (order.Status == OrderStatus.Refunded && order.CouponId is { } couponId) await wallet.ReturnAsync(order.OpenId, couponId, order.OrderNo, cancellationToken);
        }

        if (changed)
        {
            logger.LogInformation("Refund {OutRefundNo} of {OrderNo}: {Status}", outRefundNo, order.OrderNo, status);
            await ledger.RecordAsync(LedgerEntries.Refund(order, order.Refunds.First(r => r.OutRefundNo == outRefundNo)), cancellationToken);
        }

        if (status == RefundStatus.Abnormal) logger.LogError("Refund {OutRefundNo} of {OrderNo} is ABNORMAL (the buyer's account refused it): an operator must retry it", outRefundNo, order.OrderNo);
        await NotifyListenersAsync(order, outRefundNo, cancellationToken);
        return order;
    }

    private async Task NotifyListenersAsync(Order order, string outRefundNo, CancellationToken cancellationToken)
    {
        RefundVerdict? verdict = order.Refunds.First(r => r.OutRefundNo == outRefundNo).Status switch
        {
            RefundStatus.Succeeded => RefundVerdict.Succeeded,
            RefundStatus.Failed => RefundVerdict.Closed,
            RefundStatus.Abnormal => RefundVerdict.Abnormal,
            _ => null,
        };
        if (verdict is null) return;
        foreach (var listener in listeners) await listener.OnRefundAsync(order, outRefundNo, verdict.Value, cancellationToken);
    }

    private Task FollowLaterAsync(Order order, string outRefundNo, int attempt, CancellationToken cancellationToken)
        => messages.SendAsync(OrderQueues.RefundFollow, new RefundFollowMessage(order.OpenId, order.OrderNo, outRefundNo, attempt), FollowDelay(attempt), cancellationToken);

    private static RefundVerdict? Verdict(string? status) => status switch
    {
        "SUCCESS" => RefundVerdict.Succeeded,
        "CLOSED" => RefundVerdict.Closed,
        "ABNORMAL" => RefundVerdict.Abnormal,
        _ => null,
    };

    /// <summary>WeChat Pay knows the payer of its transactions, so no scan of members is needed to find the order.</summary>
    private async Task<Order?> FindAsync(string orderNo, CancellationToken cancellationToken)
    {
        var transaction = await pay.QueryByOutTradeNoAsync(orderNo, cancellationToken);
        return transaction?.Payer?.OpenId is { } openId ? await orders.GetAsync(openId, orderNo, cancellationToken) : null;
    }

    /// <summary>The points the refunded share of the order earned go back (not for stray payments, which earned none).</summary>
    private Task ClawBackAsync(Order order, string outRefundNo, CancellationToken cancellationToken)
        => order.PaymentIssue is not null
            ? Task.CompletedTask
            : loyalty.ClawBackAsync(order, outRefundNo, order.Refunds.First(r => r.OutRefundNo == outRefundNo).Amount, cancellationToken);

    private static string Short(string key)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
}
