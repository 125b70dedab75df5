using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Telemetry;
using WeStore.Domain.Common;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Messaging;
using WeStore.Domain.Operations;
using WeStore.Domain.Orders;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Fulfilment;

/// <summary>
/// The <c>shipping-upload</c> consumer: tells WeChat's order shipping management what a payment shipped, from the
/// payment's ledger. One attempt at a time holds the ledger (a lease), so two deliveries never upload twice. WeChat
/// allows one update and one re-ship per payment, so nothing is re-sent blindly:
/// <list type="bullet">
/// <item>-1 (busy, after the client's own retries), 10060012, 10060019, and 10060001 soon after payment (the payment
/// not yet ingested) are retried with back-off, through a delayed message;</item>
/// <item>10060002 (already complete), 10060003 (re-ship used), 10060004 (not shippable) and 10060023 (nothing
/// changed) are reconciled with get_order: WeChat's own view says whether it holds the shipment;</item>
/// <item>anything else, or retries spent, fails for good: the order is listed for operators, an alert is raised and a
/// metric counted. Never silent.</item>
/// </list>
/// A store WeChat does not manage (is_trade_managed false) uploads nothing.
/// </summary>
public sealed class ShippingUploader(
    IOrderRepository orders,
    IShippingUploadRepository uploads,
    IOrderIndex index,
    IOperatorAlerts alerts,
    IMessageSender messages,
    WeChatApiClient wechat,
    TradeManagement management,
    IOptions<WeChatPayOptions> pay,
    IOptions<FulfilmentOptions> options,
    TimeProvider time,
    ILogger<ShippingUploader> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.CreateCustomTimeZone("CST", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");

    public async Task UploadAsync(ShippingUploadMessage message, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(message.OpenId, message.OrderNo, cancellationToken);
        if (order is null || order.Fulfilment.Packages.Count == 0 || order.Fulfilment.Logistics is null) return;

        var attemptId = Guid.NewGuid().ToString("N");
        var busy = false;
        var ledger = await Optimistic.RetryAsync<ShippingUpload?>($"The shipping ledger of {order.OrderNo}", async _ =>
        {
            var current = await uploads.GetAsync(order.OpenId, order.OrderNo, cancellationToken) ?? ShippingUpload.Start(order.OpenId, order.OrderNo, time.GetUtcNow());
            if (current.IsFinal && !HasNew(order, current)) return Done(null);
            if (!current.TryLease(attemptId, time.GetUtcNow(), Lease))
            {
                busy = true;
                return Done(null);
            }

            return await uploads.TrySaveAsync(current, cancellationToken) ? Done(current) : Attempt<ShippingUpload?>.Again;
        }, cancellationToken);
        if (busy)
        {
            // Another delivery is talking to WeChat for this payment: look again once it is done.
            await messages.SendAsync(FulfilmentQueues.ShippingUpload, message, BusyRetry, cancellationToken);
            return;
        }

        if (ledger is null) return;
        var again = await AttemptAsync(order, ledger, cancellationToken);
        ledger.ReleaseLease();
        if (!await uploads.TrySaveAsync(ledger, cancellationToken))
        {
            logger.LogWarning("The shipping ledger of {OrderNo} changed while its lease was held; the next delivery reconciles with WeChat", order.OrderNo);
        }

        if (ledger.State == UploadState.Failed) await ReportFailureAsync(order, ledger, cancellationToken);
        if (again is { } delay) await messages.SendAsync(FulfilmentQueues.ShippingUpload, message, delay, cancellationToken);
    }

    /// <summary>One attempt, recorded on the ledger; the delay of the next try when it should be retried.</summary>
    private async Task<TimeSpan?> AttemptAsync(Order order, ShippingUpload ledger, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        bool managed;
        try
        {
            managed = await management.IsManagedAsync(cancellationToken);
        }
        catch (Exception e) when (e is WeChatUnavailableException or WeChatApiException)
        {
            return Retry(ledger, e is WeChatApiException api ? api.ErrorCode : WeChatErrorCodes.Busy, e.Message, now);
        }

        if (!managed)
        {
            ledger.RecordNotManaged(now);
            logger.LogInformation("Order {OrderNo} shipped; WeChat does not manage this Mini Program's shipping, so nothing is uploaded", order.OrderNo);
            WeStoreTelemetry.ShippingUploads.Add(1, new KeyValuePair<string, object?>("outcome", "notManaged"));
            return null;
        }

        var pending = order.Fulfilment.Packages.Where(p => !ledger.UploadedPackages.Contains(p.PackageId, StringComparer.Ordinal)).ToList();
        var complete = IsFullyShipped(order);
        if (pending.Count == 0)
        {
            if (complete && !ledger.Complete)
            {
                // Split packages went with is_all_delivered false, and the rest was refunded instead of shipped.
                ledger.RecordFailed(null, "WeChat awaits is_all_delivered and no package is left to send it with; complete the shipment in the MP console.", now);
            }

            return null;
        }

        var logistics = (int)order.Fulfilment.Logistics!.Value;
        var mode = ledger.DeliveryMode ?? (order.Fulfilment.Logistics != LogisticsType.Express || (complete && order.Fulfilment.Packages.Count == 1)
            ? WxaSecOrderUploadShippingInfoRequest.UnifiedDelivery
            : WxaSecOrderUploadShippingInfoRequest.SplitDelivery);
        if (mode == WxaSecOrderUploadShippingInfoRequest.UnifiedDelivery && ledger.UploadedPackages.Count > 0)
        {
            ledger.RecordFailed(null, "A unified upload was already made; more packages would use the payment's one re-ship. Enter them in the MP console.", now);
            return null;
        }

        var request = new WxaSecOrderUploadShippingInfoRequest
        {
            OrderKey = ShippingOrderKey.For(order.TransactionId, pay.Value.MchId, order.OrderNo),
            LogisticsType = logistics,
            DeliveryMode = mode,
            IsAllDelivered = mode == WxaSecOrderUploadShippingInfoRequest.SplitDelivery ? complete : null,
            ShippingList = [.. pending.Select(p => Item(order, p))],
            UploadTime = UploadTime(now),
            Payer = new ShippingPayer { OpenId = order.OpenId },
        };
        try
        {
            await wechat.UploadShippingInfoAsync(request, cancellationToken);
            ledger.RecordUploaded(mode, logistics, pending.Select(p => p.PackageId), mode == WxaSecOrderUploadShippingInfoRequest.UnifiedDelivery || complete, now);
            logger.LogInformation("Order {OrderNo}: {Packages} package(s) uploaded to WeChat (mode {Mode}, all delivered {Complete})", order.OrderNo, pending.Count, mode, ledger.Complete);
            WeStoreTelemetry.ShippingUploads.Add(1, new KeyValuePair<string, object?>("outcome", "uploaded"));
            return null;
        }
        catch (WeChatUnavailableException e)
        {
            return Retry(ledger, WeChatErrorCodes.Busy, e.Message, now);
        }
        catch (WeChatApiException e) when (e.ErrorCode is WeChatErrorCodes.ShippingSystemBusy or WeChatErrorCodes.ShippingSystemError)
        {
            return Retry(ledger, e.ErrorCode, e.ErrorMessage, now);
        }
        catch (WeChatApiException e) when (e.ErrorCode == WeChatErrorCodes.PaymentNotFound)
        {
            if (now - (order.PaidAt ?? now) < TimeSpan.FromMinutes(Math.Max(1, options.Value.NotIngestedMinutes))) return Retry(ledger, e.ErrorCode, e.ErrorMessage, now);
            ledger.RecordFailed(e.ErrorCode, e.ErrorMessage, now);
            return null;
        }
        catch (WeChatApiException e) when (e.ErrorCode is WeChatErrorCodes.ShippingAlreadyComplete or WeChatErrorCodes.ReshipChanceUsed
                                               or WeChatErrorCodes.PaymentNotShippable or WeChatErrorCodes.ShippingUnchanged)
        {
            return await ReconcileAsync(order, ledger, pending, mode, logistics, complete, e, cancellationToken);
        }
        catch (WeChatApiException e)
        {
            ledger.RecordFailed(e.ErrorCode, e.ErrorMessage, now);
            return null;
        }
    }

    /// <summary>WeChat refused because of what it already holds: ask it (get_order) rather than upload again.</summary>
    private async Task<TimeSpan?> ReconcileAsync(
        Order order, ShippingUpload ledger, IReadOnlyList<OrderPackage> pending, int mode, int logistics, bool complete, WeChatApiException refusal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ShippingOrder? state;
        try
        {
            state = (await wechat.GetShippingOrderAsync(WxaSecOrderGetOrderRequest.For(order.TransactionId, pay.Value.MchId, order.OrderNo), cancellationToken)).Order;
        }
        catch (Exception e) when (e is WeChatUnavailableException or WeChatApiException)
        {
            return Retry(ledger, refusal.ErrorCode, refusal.ErrorMessage, now);
        }

        var held = state?.Shipping?.ShippingList.Select(s => s.TrackingNo).Where(t => t is not null).ToHashSet(StringComparer.Ordinal) ?? [];
        var ours = pending.Where(p => p.TrackingNo is not null).Select(p => p.TrackingNo!).ToList();
        if (state?.OrderState == ShippingOrder.Refunded)
        {
            ledger.RecordNotRequired(refusal.ErrorCode, now);
            logger.LogInformation("Order {OrderNo}: WeChat reports the payment refunded; no shipping upload needed", order.OrderNo);
        }
        else if (refusal.ErrorCode == WeChatErrorCodes.ShippingUnchanged || (state is { OrderState: >= ShippingOrder.Shipped } && ours.All(held.Contains)))
        {
            ledger.RecordUploaded(state?.Shipping?.DeliveryMode is > 0 and var m ? m : mode, logistics, pending.Select(p => p.PackageId),
                state?.Shipping?.FinishShipping ?? complete, now);
            logger.LogInformation("Order {OrderNo}: WeChat already holds the shipment (errcode {ErrorCode}); ledger reconciled", order.OrderNo, refusal.ErrorCode);
            WeStoreTelemetry.ShippingUploads.Add(1, new KeyValuePair<string, object?>("outcome", "reconciled"));
        }
        else
        {
            ledger.RecordFailed(refusal.ErrorCode, $"{refusal.ErrorMessage}; WeChat's order state is {state?.OrderState.ToString(CultureInfo.InvariantCulture) ?? "unknown"}", now);
        }

        return null;
    }

    private TimeSpan? Retry(ShippingUpload ledger, int errorCode, string? message, DateTimeOffset now)
    {
        if (!ledger.RecordRetryable(errorCode, message, now)) return null;
        logger.LogWarning("Shipping upload of {OrderNo} will be retried in {Delay} (errcode {ErrorCode}, attempt {Retries})", ledger.OrderNo, ledger.NextDelay, errorCode, ledger.Retries);
        WeStoreTelemetry.ShippingUploads.Add(1, new KeyValuePair<string, object?>("outcome", "retried"));
        return ledger.NextDelay;
    }

    private async Task ReportFailureAsync(Order order, ShippingUpload ledger, CancellationToken cancellationToken)
    {
        logger.LogError("Shipping upload of {OrderNo} failed for good (errcode {ErrorCode}): {Message}; enter it in the MP console", order.OrderNo, ledger.LastErrorCode, ledger.LastErrorMessage);
        WeStoreTelemetry.ShippingUploads.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        WeStoreTelemetry.OperatorAlerts.Add(1, new KeyValuePair<string, object?>("kind", AlertKinds.ShippingUploadFailed));
        await index.AddAsync(OrderBucket.UploadFailed, order, cancellationToken);
        await alerts.RecordAsync(new OperatorAlert(order.OrderNo, AlertKinds.ShippingUploadFailed,
            $"WeChat refused the shipping upload (errcode {ledger.LastErrorCode}): {ledger.LastErrorMessage}", order.OrderNo, time.GetUtcNow()), cancellationToken);
    }

    private static bool HasNew(Order order, ShippingUpload ledger)
        => ledger.State == UploadState.Uploaded && order.Fulfilment.Packages.Any(p => !ledger.UploadedPackages.Contains(p.PackageId, StringComparer.Ordinal));

    private static bool IsFullyShipped(Order order) => order.Lines.All(l => order.ShippableQuantity(l.SkuId) <= 0);

    private static ShippingListItem Item(Order order, OrderPackage package)
    {
        var express = order.Fulfilment.Logistics == LogisticsType.Express;
        return new ShippingListItem
        {
            TrackingNo = express ? package.TrackingNo : null,
            ExpressCompany = express ? package.ExpressCompany : null,
            ItemDesc = Describe(order, package),
            // SF Express needs a contact, masked but for its last four digits.
            Contact = express && package.ExpressCompany == "SF" ? new ShippingContact { ReceiverContact = MaskPhone(order.Address.TelNumber) } : null,
        };
    }

    /// <summary>The package's goods as WeChat shows them, e.g. <c>龙井茶 50g*2;白茶饼*1</c>, at most 120 characters.</summary>
    public static string Describe(Order order, OrderPackage package)
    {
        var text = string.Join(';', package.Items.Select(i => $"{order.Lines.FirstOrDefault(l => l.SkuId == i.SkuId)?.Name ?? i.SkuId}*{i.Quantity}"));
        return text.Length <= 120 ? text : text[..119] + "…";
    }

    /// <summary>A phone number masked as WeChat asks for SF: the last four digits kept, e.g. <c>138****8000</c>.</summary>
    public static string MaskPhone(string phone)
    {
        var digits = phone.Trim();
        if (digits.Length <= 4) return new string('*', 4) + digits;
        return digits.Length >= 8 ? digits[..3] + new string('*', digits.Length - 7) + digits[^4..] : new string('*', digits.Length - 4) + digits[^4..];
    }

    /// <summary>RFC 3339 with milliseconds and Shanghai's offset, e.g. <c>2022-12-15T13:29:35.120+08:00</c>.</summary>
    public static string UploadTime(DateTimeOffset now)
        => TimeZoneInfo.ConvertTime(now, Shanghai).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static Attempt<ShippingUpload?> Done(ShippingUpload? ledger) => ledger;
}
