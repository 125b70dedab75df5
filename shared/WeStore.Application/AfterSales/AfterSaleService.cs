using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Auth;
using WeStore.Application.Fulfilment;
using WeStore.Application.Orders;
using WeStore.Application.Payments;
using WeStore.Domain.AfterSales;
using WeStore.Domain.Catalog;
using WeStore.Domain.Common;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;
using WeStore.WeChat.Pay;

namespace WeStore.Application.AfterSales;

/// <summary>
/// After-sale requests, from the buyer's request to the money back. Every move is one conditional batch in the
/// member's partition: the request's row and, when the order's claims change, the order's (what is left to refund or
/// return, one open request per line). The refund goes through the order's refund machinery under an out_refund_no
/// derived from the request and its attempt, so no retry refunds twice; its verdict comes back through
/// <see cref="AfterSaleRefundListener"/>. A return received with restock puts the stock back once.
/// </summary>
public sealed class AfterSaleService(
    IAfterSaleRepository afterSales,
    IAfterSaleIndex index,
    IOrderRepository orders,
    IStockRepository stock,
    RefundService refunds,
    CompletionService completion,
    DeliveryCompanies carriers,
    IMessageSender messages,
    IOptions<FulfilmentOptions> options,
    TimeProvider time,
    ILogger<AfterSaleService> logger)
{
    private static readonly Error NotFound = Error.NotFound("after_sale_not_found", "No such after-sale request.");

    public async Task<Result<AfterSaleView>> RequestAsync(MemberSession member, string orderNo, AfterSaleCommand command, string idempotencyKey, CancellationToken cancellationToken)
    {
        var order = OrderNumbers.IsValid(orderNo) ? await orders.GetAsync(member.OpenId, orderNo, cancellationToken) : null;
        if (order is null) return Error.NotFound("order_not_found", "No such order.");
        var id = NewId(member.OpenId, orderNo, idempotencyKey);
        var hash = Hash($"{command.Type}|{command.Amount}|{command.Reason}|{string.Join(",", command.Lines.Select(l => l.SkuId + "*" + l.Quantity))}");

        AfterSale? created = null;
        var outcome = await Optimistic.RetryAsync<Result<AfterSale>>($"Order {orderNo}", async attempt =>
        {
            if (await afterSales.GetAsync(member.OpenId, id, cancellationToken) is { } existing)
            {
                return Done(existing.RequestHash == hash ? existing : Error.Conflict("idempotency_key_reused", "This Idempotency-Key was used for another request."));
            }

            if (attempt > 0) order = await orders.GetAsync(member.OpenId, orderNo, cancellationToken) ?? order;
            var now = time.GetUtcNow();
            var opening = order.OpenAfterSale(id, command.Type, command.Lines, command.Amount, now, options.Value.AfterSale);
            if (!opening.Opened) return Done(Refusal(opening.Refusal!.Value, order));
            created = AfterSale.Request(id, member.OpenId, orderNo, command.Type, command.Lines, opening.Amount, command.Reason, command.Description,
                command.ImageUrls, hash, now);
            return await afterSales.TrySaveAsync(created, order, cancellationToken) ? Done(created) : Attempt<Result<AfterSale>>.Again;
        }, cancellationToken);
        if (!outcome.IsSuccess) return outcome.Error!;
        if (ReferenceEquals(outcome.Value, created))
        {
            logger.LogInformation("After-sale {AfterSaleId} requested on {OrderNo}: {Type}, {Amount} fen", id, orderNo, command.Type, created!.RequestedAmount);
        }

        await index.SyncAsync(outcome.Value!, previous: null, cancellationToken);
        return AfterSaleView.From(outcome.Value!);

        static Attempt<Result<AfterSale>> Done(Result<AfterSale> result) => result;
    }

    public async Task<AfterSaleList> ListMineAsync(MemberSession member, CancellationToken cancellationToken)
        => new([.. (await afterSales.ListAsync(member.OpenId, cancellationToken)).Select(AfterSaleView.From)]);

    public async Task<Result<AfterSaleView>> GetMineAsync(MemberSession member, string afterSaleId, CancellationToken cancellationToken)
        => IsId(afterSaleId) && await afterSales.GetAsync(member.OpenId, afterSaleId, cancellationToken) is { } a ? AfterSaleView.From(a) : NotFound;

    public async Task<Result<AfterSaleView>> GetAsync(string afterSaleId, CancellationToken cancellationToken)
        => await FindAsync(afterSaleId, cancellationToken) is { } a ? AfterSaleView.From(a) : NotFound;

    /// <summary>A page of one status, oldest request first; entries an interrupted move left behind are dropped.</summary>
    public async Task<AfterSaleList> ListAsync(AfterSaleStatus status, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var (entries, token) = await index.ListAsync(status, continuationToken, pageSize, cancellationToken);
        var views = await Task.WhenAll(entries.Select(async e =>
        {
            var a = await afterSales.GetAsync(e.OpenId, e.AfterSaleId, cancellationToken);
            if (a?.Status == status) return AfterSaleView.From(a);
            await index.RemoveAsync(status, e.AfterSaleId, e.RequestedAt, cancellationToken);
            return null;
        }));
        return new AfterSaleList([.. views.Where(v => v is not null).Select(v => v!)], token);
    }

    /// <summary>The buyer withdraws the request (nothing on its way back yet): its claim on the order is let go.</summary>
    public async Task<Result<AfterSaleView>> CancelAsync(MemberSession member, string afterSaleId, CancellationToken cancellationToken)
        => IsId(afterSaleId)
            ? await MoveAsync(member.OpenId, afterSaleId, (a, o, now) => (a.Cancel(now), Close(o, a)), "cancelled", cancellationToken)
            : NotFound;

    /// <summary>The buyer sends the goods back, with a carrier WeChat knows and a tracking number.</summary>
    public async Task<Result<AfterSaleView>> ShipReturnAsync(MemberSession member, string afterSaleId, string expressCompany, string trackingNo, CancellationToken cancellationToken)
    {
        if (!IsId(afterSaleId)) return NotFound;
        if (!await carriers.IsKnownAsync(expressCompany, cancellationToken))
        {
            return Error.Invalid("unknown_express_company", $"'{expressCompany}' is not a carrier WeChat knows (get_delivery_list).");
        }

        return await MoveAsync(member.OpenId, afterSaleId, (a, _, now) => (a.ShipReturn(expressCompany, trackingNo, now), false), "return shipped", cancellationToken);
    }

    /// <summary>The operator agrees; a refund-only request goes on to its refund at once.</summary>
    public async Task<Result<AfterSaleView>> ApproveAsync(string afterSaleId, long? amount, string? returnAddress, CancellationToken cancellationToken)
    {
        if (await FindOpenIdAsync(afterSaleId, cancellationToken) is not { } openId) return NotFound;
        var approved = await MoveAsync(openId, afterSaleId, (a, o, now) =>
        {
            var move = a.Approve(amount, returnAddress, now);
            if (move == AfterSaleMove.Moved && a.ApprovedAmount < a.RequestedAmount) o.ResizeAfterSale(a.Id, a.ApprovedAmount.Value);
            return (move, move == AfterSaleMove.Moved && a.ApprovedAmount < a.RequestedAmount);
        }, "approved", cancellationToken);
        if (!approved.IsSuccess || approved.Value!.Type != "refund") return approved;
        return await StartRefundAsync(openId, afterSaleId, cancellationToken);
    }

    public async Task<Result<AfterSaleView>> RejectAsync(string afterSaleId, string reason, CancellationToken cancellationToken)
        => await FindOpenIdAsync(afterSaleId, cancellationToken) is { } openId
            ? await MoveAsync(openId, afterSaleId, (a, o, now) => (a.Reject(reason, now), Close(o, a)), "rejected", cancellationToken)
            : NotFound;

    /// <summary>The goods are back: restocked once if asked (each line under the request's id), then the money goes back.</summary>
    public async Task<Result<AfterSaleView>> ReceiveAsync(string afterSaleId, bool restock, CancellationToken cancellationToken)
    {
        if (await FindOpenIdAsync(afterSaleId, cancellationToken) is not { } openId) return NotFound;
        var received = await MoveAsync(openId, afterSaleId, (a, _, now) => (a.Receive(restock, now), false), "return received", cancellationToken);
        if (!received.IsSuccess) return received;
        if (received.Value!.Restock == true)
        {
            foreach (var line in received.Value.Lines)
            {
                if (await stock.RestockAsync(line.SkuId, line.Quantity, afterSaleId, cancellationToken))
                {
                    logger.LogInformation("After-sale {AfterSaleId}: {Quantity} of {SkuId} back in stock", afterSaleId, line.Quantity, line.SkuId);
                }
            }
        }

        return await StartRefundAsync(openId, afterSaleId, cancellationToken);
    }

    /// <summary>
    /// An operator's retry of a stopped refund: an ABNORMAL one is paid out again through the abnormal-refund API; a
    /// CLOSED one is asked for again under the next out_refund_no.
    /// </summary>
    public async Task<Result<AfterSaleView>> RetryRefundAsync(string afterSaleId, AbnormalRefundTarget target, CancellationToken cancellationToken)
    {
        if (await FindOpenIdAsync(afterSaleId, cancellationToken) is not { } openId) return NotFound;
        var current = await afterSales.GetAsync(openId, afterSaleId, cancellationToken);
        if (current is null) return NotFound;
        if (current.Status != AfterSaleStatus.RefundAbnormal) return Error.Conflict("refund_not_stopped", $"The request is {AfterSaleView.Camel(current.Status.ToString())}; only a stopped refund is retried.");
        if (current.Problem == RefundProblem.Abnormal)
        {
            var order = await orders.GetAsync(openId, current.OrderNo, cancellationToken);
            if (order is null || current.OutRefundNo is not { } number) return NotFound;
            var request = new RefundDomesticRefundsApplyAbnormalRefundRequest
            {
                OutRefundNo = number,
                Type = target.Type,
                BankType = target.BankType,
                BankAccount = target.BankAccount is { } account ? refunds.EncryptSensitive(account) : null,
                RealName = target.RealName is { } name ? refunds.EncryptSensitive(name) : null,
            };
            if (await refunds.RetryAbnormalAsync(order, number, request, cancellationToken) is null)
            {
                return Error.Conflict("refund_not_abnormal", "WeChat Pay no longer reports the refund abnormal; it is being followed.");
            }

            return await MoveAsync(openId, afterSaleId, (a, _, now) => (a.RetryRefund(now), false), "refund re-applied", cancellationToken);
        }

        var retried = await MoveAsync(openId, afterSaleId, (a, _, now) => (a.RetryRefund(now), false), "refund asked again", cancellationToken);
        return retried.IsSuccess ? await RequestRefundAsync(openId, afterSaleId, cancellationToken) : retried;
    }

    /// <summary>The <c>refund-follow</c> message of a request whose refund had to wait its minute: asked for now.</summary>
    public Task<Result<AfterSaleView>> RequestDeferredRefundAsync(string openId, string afterSaleId, CancellationToken cancellationToken)
        => RequestRefundAsync(openId, afterSaleId, cancellationToken);

    private async Task<Result<AfterSaleView>> StartRefundAsync(string openId, string afterSaleId, CancellationToken cancellationToken)
    {
        var started = await MoveAsync(openId, afterSaleId, (a, _, now) => (a.StartRefund(now), false), "refunding", cancellationToken);
        return started.IsSuccess ? await RequestRefundAsync(openId, afterSaleId, cancellationToken) : started;
    }

    /// <summary>
    /// Records the refund of a request in Refunding on its order and asks WeChat Pay. Within a minute of the order's last
    /// refund it waits (a delayed <c>refund-follow</c> message asks then); a refund that can no longer be made (over a
    /// year, 50 refunds) stops the request for an operator.
    /// </summary>
    private async Task<Result<AfterSaleView>> RequestRefundAsync(string openId, string afterSaleId, CancellationToken cancellationToken)
    {
        AfterSale? current = null;
        Order? order = null;
        var outcome = await Optimistic.RetryAsync<RefundRequestOutcome?>($"After-sale {afterSaleId}", async _ =>
        {
            current = await afterSales.GetAsync(openId, afterSaleId, cancellationToken);
            if (current?.Status != AfterSaleStatus.Refunding || current.OutRefundNo is not { } number) return Done(null);
            order = await orders.GetAsync(openId, current.OrderNo, cancellationToken);
            if (order is null) return Done(null);
            var requested = order.RefundAfterSale(current.Id, number, Truncate(current.Reason, 80), time.GetUtcNow());
            if (requested == RefundRequestOutcome.Requested) return await afterSales.TrySaveAsync(current, order, cancellationToken) ? Done(requested) : Attempt<RefundRequestOutcome?>.Again;
            if (requested is RefundRequestOutcome.TooOld or RefundRequestOutcome.TooMany or RefundRequestOutcome.ExceedsRefundable or RefundRequestOutcome.NotRefundable)
            {
                current.RefundStopped(RefundProblem.Closed, time.GetUtcNow());
                return await afterSales.TrySaveAsync(current, null, cancellationToken) ? Done(requested) : Attempt<RefundRequestOutcome?>.Again;
            }

            return Done(requested);
        }, cancellationToken);
        if (current is null) return NotFound;
        switch (outcome)
        {
            case RefundRequestOutcome.Requested or RefundRequestOutcome.AlreadyRequested when order is not null:
                var refund = order.Refunds.First(r => r.OutRefundNo == current.OutRefundNo);
                if (refund.Status == RefundStatus.Pending) await refunds.SubmitAsync(order, refund.OutRefundNo, cancellationToken);
                break;
            case RefundRequestOutcome.TooSoon when order?.NextRefundAllowedAt is { } next:
                logger.LogInformation("After-sale {AfterSaleId}: the refund waits until {At} (a minute between refunds of one payment)", afterSaleId, next);
                await messages.SendAsync(OrderQueues.RefundFollow, new RefundFollowMessage(openId, current.OrderNo, current.OutRefundNo!, 0, afterSaleId),
                    next - time.GetUtcNow() + TimeSpan.FromSeconds(1), cancellationToken);
                break;
            case RefundRequestOutcome.TooOld or RefundRequestOutcome.TooMany or RefundRequestOutcome.ExceedsRefundable or RefundRequestOutcome.NotRefundable:
                logger.LogError("After-sale {AfterSaleId}: WeChat Pay cannot take the refund ({Outcome}); it needs an operator", afterSaleId, outcome);
                await index.SyncAsync(current, AfterSaleStatus.Refunding, cancellationToken);
                break;
        }

        return await afterSales.GetAsync(openId, afterSaleId, cancellationToken) is { } after ? AfterSaleView.From(after) : NotFound;

        static Attempt<RefundRequestOutcome?> Done(RefundRequestOutcome? outcome) => outcome;
    }

    /// <summary>
    /// One move: read the request and its order, apply <paramref name="move"/> (which says whether the order changed
    /// too), save both in one batch, then keep the index; a request that closed lets a received order complete.
    /// </summary>
    private async Task<Result<AfterSaleView>> MoveAsync(
        string openId, string afterSaleId, Func<AfterSale, Order, DateTimeOffset, (AfterSaleMove Move, bool OrderChanged)> move, string what, CancellationToken cancellationToken)
    {
        AfterSaleStatus? before = null;
        Order? order = null;
        var outcome = await Optimistic.RetryAsync<Result<AfterSale>>($"After-sale {afterSaleId}", async _ =>
        {
            var current = await afterSales.GetAsync(openId, afterSaleId, cancellationToken);
            if (current is null) return Done(NotFound);
            order = await orders.GetAsync(openId, current.OrderNo, cancellationToken);
            if (order is null) return Done(NotFound);
            before = current.Status;
            var (result, orderChanged) = move(current, order, time.GetUtcNow());
            if (result == AfterSaleMove.Unchanged) return Done(current);
            if (result == AfterSaleMove.Refused)
            {
                return Done(Error.Conflict("after_sale_state", $"The request is {AfterSaleView.Camel(current.Status.ToString())}; it cannot be {what}."));
            }

            return await afterSales.TrySaveAsync(current, orderChanged ? order : null, cancellationToken) ? Done(current) : Attempt<Result<AfterSale>>.Again;
        }, cancellationToken);
        if (!outcome.IsSuccess) return outcome.Error!;

        var saved = outcome.Value!;
        if (saved.Status != before) logger.LogInformation("After-sale {AfterSaleId}: {Status}", afterSaleId, saved.Status);
        await index.SyncAsync(saved, before == saved.Status ? saved.Status : before, cancellationToken);
        if (!saved.IsOpen && order is not null) await completion.ScheduleAsync(order, cancellationToken);
        return AfterSaleView.From(saved);

        static Attempt<Result<AfterSale>> Done(Result<AfterSale> result) => result;
    }

    private static bool Close(Order order, AfterSale afterSale)
    {
        if (afterSale.IsOpen) return false;
        order.CloseAfterSale(afterSale.Id);
        return true;
    }

    private async Task<AfterSale?> FindAsync(string afterSaleId, CancellationToken cancellationToken)
        => await FindOpenIdAsync(afterSaleId, cancellationToken) is { } openId ? await afterSales.GetAsync(openId, afterSaleId, cancellationToken) : null;

    private async Task<string?> FindOpenIdAsync(string afterSaleId, CancellationToken cancellationToken)
        => IsId(afterSaleId) ? await index.FindOpenIdAsync(afterSaleId, cancellationToken) : null;

    private Error Refusal(AfterSaleRefusal refusal, Order order) => refusal switch
    {
        AfterSaleRefusal.NotPaid => Error.Conflict("order_not_paid", $"The order is {OrderView.StatusName(order.Status)}; only a paid order takes after-sale requests."),
        AfterSaleRefusal.NothingLeft => Error.Conflict("nothing_left_to_refund", "Everything paid is refunded, being refunded or asked for."),
        AfterSaleRefusal.WindowClosed => Error.Conflict("after_sale_window_closed", $"After-sale requests are taken for {options.Value.AfterSaleDays} days after receipt."),
        AfterSaleRefusal.ReturnBeforeShipment => Error.Conflict("return_before_shipment", "Nothing has shipped yet: ask for a refund instead."),
        AfterSaleRefusal.UnknownSku => Error.Invalid("sku_not_in_order", "A line names a SKU the order does not hold."),
        AfterSaleRefusal.QuantityBeyond => Error.Conflict("quantity_beyond_order", "A line asks for more than was ordered (or shipped) less what is refunded or returned."),
        AfterSaleRefusal.LineOpen => Error.Conflict("after_sale_open", "A request for this line is already open."),
        _ => Error.Conflict("amount_beyond_refundable", $"At most {order.AfterSaleAvailable} fen can still be asked for."),
    };

    /// <summary>"AS" and 22 base32 characters from the member, the order and the Idempotency-Key: a retry meets its first attempt.</summary>
    public static string NewId(string openId, string orderNo, string idempotencyKey)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(openId + "\n" + orderNo + "\n" + idempotencyKey));
        var chars = new char[22];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[hash[i] & 0x1F];
        return "AS" + new string(chars);
    }

    public static bool IsId(string? id) => id is { Length: 24 } && id.StartsWith("AS", StringComparison.Ordinal) && id[2..].All(c => char.IsAsciiLetterUpper(c) || c is >= '2' and <= '7');

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
