using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Auth;
using WeStore.Application.Catalog;
using WeStore.Domain.Catalog;
using WeStore.Domain.Common;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;
using WeStore.WeChat;
using WeStore.WeChat.Pay;

namespace WeStore.Application.Orders;

/// <summary>
/// Placing an order: (1) the unpaid-timeout message goes first, so whatever happens next (a crash included) is
/// undone when it fires; (2) each SKU is priced and held in one read and one batch; (3) WeChat Pay prepay;
/// (4) the order row, whose number comes from the Idempotency-Key, so a retry finds the first attempt.
/// Any failure after a hold releases every hold before answering. Storage cost: 2 + 2 per distinct SKU (the timeout
/// send and the order write, and a read and a batch per SKU), plus the coupon's and the points' reads when used. Nothing
/// of the member's is read: the attribution is copied onto the order when it is paid or closed (OrderAttributionCopier).
/// </summary>
public sealed class OrderService(
    IStockRepository stock,
    IOrderRepository orders,
    WeStore.Domain.Fulfilment.IShippingUploadRepository uploads,
    WeStore.Domain.Coupons.ICouponRepository coupons,
    IMessageSender messages,
    CatalogService catalog,
    WeChatPayClient pay,
    IOptions<OrdersOptions> options,
    WeStore.Application.Loyalty.LoyaltyService loyalty,
    IOptions<WeStore.WeChat.WeChatOptions> wechat,
    TimeProvider time,
    ILogger<OrderService> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // The stored answer is served as application/json, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>How long after the payment window the timeout fires: WeChat Pay's time_expire has surely passed.</summary>
    public static readonly TimeSpan TimeoutMargin = TimeSpan.FromSeconds(30);

    /// <summary>A hold older than this with no order behind it belongs to an attempt that will not finish.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Places an order. A group-buy order (<paramref name="group"/>) is priced at its team's price and takes its seat
    /// after the timeout message is sent (which names the team, so a crash anywhere after frees the seat) and before
    /// any stock is held; a seat refused answers as it was refused.
    /// </summary>
    public async Task<Result<StoredResponse>> PlaceAsync(
        MemberSession member, string idempotencyKey, PlaceOrderCommand command, CancellationToken cancellationToken, GroupOrderTerms? group = null)
    {
        using var activity = WeStore.Application.Telemetry.WeStoreTelemetry.Start("order.place", member.OpenId);
        var orderNo = OrderNumbers.FromIdempotencyKey(member.OpenId, idempotencyKey);
        var requestHash = Convert.ToHexString(SHA256.HashData(group is null
            ? JsonSerializer.SerializeToUtf8Bytes(command, Json)
            : JsonSerializer.SerializeToUtf8Bytes(new { command, group.GroupBuyId, group.TeamId }, Json)));
        var now = time.GetUtcNow();
        var window = options.Value.PaymentWindow;

        // The coupon is checked before any stock is held; it is reserved with the order, in one batch, at the end.
        WeStore.Domain.Coupons.Coupon? coupon = null;
        if (command.CouponId is { } couponId)
        {
            coupon = await coupons.GetAsync(member.OpenId, couponId, cancellationToken);
            if (coupon is null) return Error.Invalid("coupon_not_found", "The coupon does not exist in this member's wallet.");
            if (coupon.RefusalAt(now) is { } why)
            {
                return coupon.State == WeStore.Domain.Coupons.CouponState.Available
                    ? Error.Invalid("coupon_not_valid", $"The coupon is {why}.")
                    : await ReplayOrConflictAsync(member, orderNo, requestHash, $"The coupon is {why}.", cancellationToken);
            }
        }

        await messages.SendAsync(OrderQueues.Timeout,
            new OrderTimeoutMessage(member.OpenId, orderNo, command.Items.Select(i => i.SkuId).ToList(), group?.TeamId), window + TimeoutMargin, cancellationToken);
        if (group is not null && await group.TakeSeatAsync(orderNo, cancellationToken) is { } refused) return refused;

        // Holds this attempt wrote (released if it fails) and holds it adopted from an abandoned attempt (never released
        // here: another attempt may yet write the order on them; the timeout messages release them otherwise).
        var holds = new List<StockHold>();
        var adopted = new List<StockHold>();
        try
        {
            foreach (var item in command.Items)
            {
                var shards = await catalog.ShardsOfAsync(item.SkuId, cancellationToken);
                var result = await stock.ReserveAsync(orderNo, item.SkuId, item.Quantity, shards, cancellationToken);
                switch (result.Outcome)
                {
                    case ReservationOutcome.Reserved:
                        holds.Add(result.Hold!);
                        continue;
                    case ReservationOutcome.AlreadyHeld:
                        var first = await orders.GetAsync(member.OpenId, orderNo, cancellationToken);
                        if (first is null && result.Hold is { } hold && hold.Quantity == item.Quantity && now - result.HeldAt > AbandonedAfter)
                        {
                            // An attempt that held stock and never wrote the order (it crashed, or its answer was lost):
                            // without this the key would answer "in progress" until the timeout message fired.
                            logger.LogWarning("Order {OrderNo}: adopting the stock hold of an abandoned attempt", orderNo);
                            adopted.Add(hold);
                            continue;
                        }

                        await ReleaseAsync(holds);
                        return Replay(first, requestHash);
                    case ReservationOutcome.OutOfStock:
                        await ReleaseAsync(holds);
                        return Error.Conflict("out_of_stock", $"SKU {item.SkuId} does not have {item.Quantity} in stock.");
                    default:
                        await ReleaseAsync(holds);
                        return Error.Invalid("sku_unavailable", $"SKU {item.SkuId} does not exist or is not on sale.");
                }
            }

            var lines = command.Items.Select(i => holds.Concat(adopted).First(h => h.SkuId == i.SkuId)).Select(h => new OrderLine(h.SkuId, h.Offer.ProductId, h.Offer.Name, group?.UnitPrice ?? h.Offer.Price, h.Quantity, h.Shard)).ToList();
            var discount = 0L;
            if (coupon is not null)
            {
                var eligible = lines.Where(l => coupon.Terms.Covers(l.SkuId, l.ProductId)).Sum(l => l.Total);
                discount = coupon.Terms.DiscountFor(eligible);
                if (discount <= 0)
                {
                    await ReleaseAsync(holds);
                    return Error.Invalid("coupon_not_applicable", $"The coupon needs {coupon.Terms.MinSpend} fen of eligible items; this order has {eligible}.");
                }
            }

            // Points pay for part of what the coupon leaves, read and spent from the lots that expire first; the
            // spend is saved in the order's batch, so an order that is not written spends nothing.
            WeStore.Application.Loyalty.PreparedSpend? spend = null;
            var beforePoints = lines.Sum(l => l.Total) - discount;
            if (command.PointsToUse > 0)
            {
                var prepared = await loyalty.PrepareSpendAsync(member.OpenId, orderNo, command.PointsToUse, beforePoints, cancellationToken);
                if (!prepared.IsSuccess)
                {
                    await ReleaseAsync(holds);
                    return prepared.Error!;
                }

                spend = prepared.Value;
            }

            var amounts = OrderPricing.Price(lines, discount + (spend?.Discount ?? 0));
            // Whole seconds, as WeChat Pay's time_expire carries them.
            var expiresAt = new DateTimeOffset((now + window).UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

            var prepay = await pay.JsapiPrepayAsync(new PayTransactionsJsapiRequest
            {
                AppId = wechat.Value.AppId,
                MchId = pay.Options.MchId,
                Description = Describe(lines),
                OutTradeNo = orderNo,
                TimeExpire = expiresAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
                NotifyUrl = pay.Options.NotifyUrl,
                Amount = new PayAmount { Total = amounts.Payable },
                Payer = new PayPayer { OpenId = member.OpenId },
            }, cancellationToken);

            var payment = pay.CreateRequestPayment(wechat.Value.AppId, prepay.PrepayId!);
            var response = new PlaceOrderResponse(orderNo, OrderView.StatusName(OrderStatus.PendingPayment),
                new AmountsView(amounts.Subtotal, amounts.Discount, amounts.Payable, spend?.Points ?? 0), expiresAt,
                new PaymentView(payment.TimeStamp, payment.NonceStr, payment.Package, payment.SignType, payment.PaySign));
            var responseJson = JsonSerializer.Serialize(response, Json);

            var team = group is null ? null : new OrderTeam(group.GroupBuyId, group.TeamId);
            var order = Order.Place(orderNo, member.OpenId, lines, amounts, command.CouponId, command.Address, command.Remark,
                now, expiresAt, prepay.PrepayId!, requestHash, responseJson, attribution: null, spend?.Points ?? 0, spend?.Takes, team);
            coupon?.Reserve(order.OrderNo, now);
            var created = coupon is null && spend is null
                ? (await orders.TryCreateAsync(order, cancellationToken) ? OrderCreation.Created : OrderCreation.OrderExists)
                : await orders.TryCreateWithAsync(order, coupon, spend?.Account, cancellationToken);
            for (var retry = 0; created == OrderCreation.PointsChanged && retry < 3; retry++)
            {
                // The member's points moved (another order, an expiry) between the read and the write: spend again
                // from the fresh balance; the amount cannot change, it is already at WeChat Pay.
                var again = await loyalty.PrepareSpendAsync(member.OpenId, orderNo, command.PointsToUse, beforePoints, cancellationToken);
                if (!again.IsSuccess) break;
                order = Order.Place(orderNo, member.OpenId, lines, amounts, command.CouponId, command.Address, command.Remark,
                    now, expiresAt, prepay.PrepayId!, requestHash, responseJson, attribution: null, again.Value!.Points, again.Value.Takes, team);
                created = await orders.TryCreateWithAsync(order, coupon, again.Value.Account, cancellationToken);
            }

            if (created != OrderCreation.Created)
            {
                // An order with this number that still holds stock (another attempt of the same request wrote it) owns
                // the holds under its number; otherwise this attempt's holds go back.
                var existing = created == OrderCreation.OrderExists ? await orders.GetAsync(member.OpenId, orderNo, cancellationToken) : null;
                if (existing?.Status is not (OrderStatus.PendingPayment or OrderStatus.Paid)) await ReleaseAsync(holds);
                return created switch
                {
                    OrderCreation.CouponChanged => await ReplayOrConflictAsync(member, orderNo, requestHash, "The coupon is already backing another order.", cancellationToken),
                    OrderCreation.PointsChanged => Error.Conflict("points_insufficient", "The points are no longer available; try again."),
                    _ => Replay(existing, requestHash),
                };
            }

            logger.LogInformation("Order {OrderNo} placed: {Lines} lines, payable {Payable} fen", orderNo, lines.Count, amounts.Payable);
            WeStore.Application.Telemetry.WeStoreTelemetry.OrdersPlaced.Add(1,
                new KeyValuePair<string, object?>("coupon", coupon is not null), new KeyValuePair<string, object?>("points", spend is not null));
            return new StoredResponse(responseJson);
        }
        catch (WeChatPayException e)
        {
            await ReleaseAsync(holds);
            // A retry of an order that has since closed reaches WeChat Pay again, which refuses the reused number.
            if (await orders.GetAsync(member.OpenId, orderNo, cancellationToken) is not null)
            {
                return await ReplayAsync(member, orderNo, requestHash, cancellationToken);
            }

            logger.LogError("WeChat Pay refused prepay for {OrderNo}: {Status} {Code}", orderNo, e.Status, e.Code);
            return Error.Unavailable("payment_unavailable", "WeChat Pay refused the order; try again shortly.", TimeSpan.FromSeconds(5));
        }
        catch
        {
            await ReleaseAsync(holds);
            throw;
        }
    }

    public async Task<Result<OrderView>> GetAsync(MemberSession member, string orderNo, CancellationToken cancellationToken)
    {
        var order = OrderNumbers.IsValid(orderNo) ? await orders.GetAsync(member.OpenId, orderNo, cancellationToken) : null;
        if (order is null) return Error.NotFound("order_not_found", "No such order.");
        // The shipping ledger is read only once something has shipped (an unshipped order has none).
        var upload = order.Fulfilment.Packages.Count == 0 ? null : await uploads.GetAsync(order.OpenId, order.OrderNo, cancellationToken);
        return OrderView.From(order, upload);
    }

    public async Task<OrderListView> ListAsync(MemberSession member, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await orders.ListAsync(member.OpenId, continuationToken, pageSize, cancellationToken);
        return new OrderListView(page.Orders.Select(o => OrderView.From(o)).ToList(), page.ContinuationToken);
    }

    /// <summary>A coupon already taken: a replay of the order that took it gets its first answer, anything else 409.</summary>
    private async Task<Result<StoredResponse>> ReplayOrConflictAsync(MemberSession member, string orderNo, string requestHash, string message, CancellationToken cancellationToken)
        => await orders.GetAsync(member.OpenId, orderNo, cancellationToken) is { } first
            ? Replay(first, requestHash)
            : Error.Conflict("coupon_unavailable", message);

    private async Task<Result<StoredResponse>> ReplayAsync(MemberSession member, string orderNo, string requestHash, CancellationToken cancellationToken)
        => Replay(await orders.GetAsync(member.OpenId, orderNo, cancellationToken), requestHash);

    /// <summary>The first answer to this key's request, given the order it wrote (null: not written yet).</summary>
    private static Result<StoredResponse> Replay(Order? first, string requestHash)
    {
        if (first is null)
        {
            return Error.Conflict("request_in_progress", "A request with this Idempotency-Key is still being processed.") with { RetryAfter = TimeSpan.FromSeconds(1) };
        }

        return first.RequestHash == requestHash
            ? new StoredResponse(first.ResponseJson)
            : Error.Conflict("idempotency_key_reused", "This Idempotency-Key was used with a different request.");
    }

    /// <summary>Best effort: a hold that cannot be released now is released by the timeout message sent first.</summary>
    private async Task ReleaseAsync(IEnumerable<StockHold> holds)
    {
        foreach (var hold in holds)
        {
            try
            {
                await stock.ReleaseAsync(hold.OrderNo, hold.SkuId, CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning(e, "Releasing {SkuId} for {OrderNo} failed; the order's timeout will release it", hold.SkuId, hold.OrderNo);
            }
        }
    }

    private static string Describe(IReadOnlyList<OrderLine> lines)
    {
        var count = lines.Sum(l => l.Quantity);
        var text = lines.Count == 1 && count == 1 ? lines[0].Name : $"{lines[0].Name} 等{count}件";
        return text.Length <= 127 ? text : text[..127];
    }
}
