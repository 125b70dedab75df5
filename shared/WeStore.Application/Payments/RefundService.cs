using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using WeStore.Application.Coupons;
using WeStore.Application.Loyalty;
using WeStore.Application.Orders;
using WeStore.Domain.Common;
using WeStore.Domain.Orders;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Payments;

/// <summary>
/// Money going back. A refund is first recorded on the order (pending, under its out_refund_no, so a retry can never
/// ask twice), then requested at WeChat Pay, then completed by WeChat Pay's answer or its refund notification: a
/// success claws back the points the refunded share earned and, once the whole order is refunded, returns its coupon.
/// </summary>
public sealed class RefundService(
    IOrderRepository orders,
    CouponWallet wallet,
    LoyaltyService loyalty,
    WeChatPayClient pay,
    NotificationReader reader,
    TimeProvider time,
    ILogger<RefundService> logger)
{
    /// <summary>An operator's refund: full when no amount is given; partial refunds need an idempotency key.</summary>
    public async Task<Result<RefundView>> RefundAsync(string orderNo, long? amount, string reason, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (!OrderNumbers.IsValid(orderNo)) return Error.NotFound("order_not_found", "No such order.");
        if (amount is not null && idempotencyKey is null)
        {
            return Error.Invalid("idempotency_key_required", "A partial refund needs an Idempotency-Key header, so a retry cannot refund twice.");
        }

        if (await FindAsync(orderNo, cancellationToken) is not { } order) return Error.NotFound("order_not_found", "No such order.");

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
            var answer = await RequestAtWeChatPayAsync(order, outRefundNo, refund.Amount, reason, cancellationToken);
            if (answer?.Status is "SUCCESS" or "CLOSED") order = await CompleteAsync(order, outRefundNo, answer.Status == "SUCCESS", cancellationToken);
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
            default:
                logger.LogError("Refund {OutRefundNo} of {OrderNo} is {EventType}: it needs an operator in the merchant platform",
                    refund.OutRefundNo, refund.OutTradeNo, verified.Envelope.EventType);
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
    /// WeChat Pay's verdict, applied once: the refund succeeds or fails on the order, then a success claws back the
    /// points and a whole refund returns the coupon. A repeated success finishes what a crash may have interrupted.
    /// </summary>
    public Task<Order> CompleteAsync(Order order, string outRefundNo, bool succeeded, CancellationToken cancellationToken)
        => Optimistic.RetryAsync<Order>($"Order {order.OrderNo}", async attempt =>
        {
            if (attempt > 0) order = await orders.GetAsync(order.OpenId, order.OrderNo, cancellationToken) ?? order;
            var before = order.Refunds.First(r => r.OutRefundNo == outRefundNo).Status;
            order.CompleteRefund(outRefundNo, succeeded);
            if (before != RefundStatus.Pending)
            {
                if (before == RefundStatus.Succeeded) await ClawBackAsync(order, outRefundNo, cancellationToken);
                return order;
            }

            if (!await orders.TrySaveAsync(order, cancellationToken)) return Attempt<Order>.Again;
            if (succeeded) await ClawBackAsync(order, outRefundNo, cancellationToken);

            // A fully refunded order gives its coupon back (the wallet shows it expired if its time has passed).
            if (order.Status == OrderStatus.Refunded && order.CouponId is { } couponId)
            {
                await wallet.ReturnAsync(order.OpenId, couponId, order.OrderNo, cancellationToken);
            }

            return order;
        }, cancellationToken);

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
