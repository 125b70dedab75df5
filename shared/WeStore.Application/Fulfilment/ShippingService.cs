using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Application.Orders;
using WeStore.Application.Telemetry;
using WeStore.Domain.Common;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Messaging;
using WeStore.Domain.Orders;
using WeStore.WeChat;

namespace WeStore.Application.Fulfilment;

/// <summary>One line of a warehouse's CSV: an order's package by carrier and tracking number, with a SKU and quantity or (none) everything left.</summary>
public sealed record CsvShipmentLine(int Line, string OrderNo, string ExpressCompany, string TrackingNo, string? SkuId, int? Quantity);

/// <summary>
/// Shipping, for operators: packages recorded on the order with one conditional write (idempotent by the request's key:
/// a retry with the same body answers as before, another body is refused), then the order moved in the operators'
/// index, its auto-confirm scheduled once fully shipped, and the WeChat upload and the shipped notice queued. The CSV
/// import ships each (order, carrier, tracking number) as one package; a re-import finds its packages already there.
/// </summary>
public sealed class ShippingService(
    IOrderRepository orders,
    IOrderIndex index,
    IShippingUploadRepository uploads,
    IFulfilmentSchedule schedule,
    IMessageSender messages,
    DeliveryCompanies carriers,
    IOptions<FulfilmentOptions> options,
    TimeProvider time,
    ILogger<ShippingService> logger)
{
    /// <summary>At most this many (order, package) groups of an import are shipped at once.</summary>
    private const int ImportParallelism = 8;

    public async Task<Result<OperatorOrderView>> ShipAsync(string orderNo, ShipCommand command, string idempotencyKey, CancellationToken cancellationToken)
    {
        var hash = Hash(command.LogisticsType + "\n" + string.Join("\n", command.Packages.Select(p =>
            $"{p.ExpressCompany}|{p.TrackingNo}|{string.Join(",", p.Items.Select(i => i.SkuId + "*" + i.Quantity))}")));
        var shipped = await ShipCoreAsync(orderNo, command.LogisticsType, _ => command.Packages, "api|" + idempotencyKey, hash, cancellationToken);
        if (!shipped.IsSuccess) return shipped.Error!;
        var (order, replayed, _) = shipped.Value!;
        // A first shipment has no ledger yet (its upload is queued): one read fewer on the request path.
        return !replayed && order.Fulfilment.Packages.Count == command.Packages.Count ? ToView(order, null) : await ViewAsync(order, cancellationToken);
    }

    /// <summary>Ships each group of lines (same order, carrier and tracking number) as one package, and answers per line.</summary>
    public async Task<ImportResult> ImportAsync(IReadOnlyList<CsvShipmentLine> lines, CancellationToken cancellationToken)
    {
        var results = new System.Collections.Concurrent.ConcurrentBag<ImportLineResult>();
        var groups = lines.GroupBy(l => (l.OrderNo, l.ExpressCompany, l.TrackingNo)).ToList();
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = ImportParallelism, CancellationToken = cancellationToken }, async (group, ct) =>
        {
            var groupLines = group.ToList();
            var everything = groupLines.Any(l => l.SkuId is null);
            var hash = Hash(everything ? "all" : string.Join(",", groupLines.OrderBy(l => l.SkuId, StringComparer.Ordinal).Select(l => l.SkuId + "*" + l.Quantity)));
            IReadOnlyList<NewPackage> Packages(Order order)
            {
                var items = everything
                    ? order.Lines.Select(l => l.SkuId).Distinct(StringComparer.Ordinal).Select(sku => new PackageItem(sku, order.ShippableQuantity(sku))).Where(i => i.Quantity > 0).ToList()
                    : groupLines.GroupBy(l => l.SkuId!, StringComparer.Ordinal).Select(g => new PackageItem(g.Key, g.Sum(l => l.Quantity ?? 0))).ToList();
                return [new NewPackage(group.Key.ExpressCompany, group.Key.TrackingNo, items)];
            }

            Result<ShipOutcome> outcome;
            try
            {
                outcome = await ShipCoreAsync(group.Key.OrderNo, LogisticsType.Express, Packages, $"csv|{group.Key.ExpressCompany}|{group.Key.TrackingNo}", hash, ct);
            }
            catch (Exception e) when (e is WeChatUnavailableException or ContentionException)
            {
                logger.LogWarning("Importing a shipment of {OrderNo} failed: {Reason}", group.Key.OrderNo, e.GetType().Name);
                outcome = Error.Unavailable("unavailable", "WeChat was unavailable or the order busy; import this line again.", TimeSpan.FromSeconds(5));
            }

            foreach (var line in groupLines)
            {
                results.Add(outcome.IsSuccess
                    ? new ImportLineResult(line.Line, line.OrderNo, outcome.Value!.Replayed ? "unchanged" : "shipped", null, outcome.Value.PackageId)
                    : new ImportLineResult(line.Line, line.OrderNo, "refused", outcome.Error!.Message, null));
            }
        });

        var ordered = results.OrderBy(r => r.Line).ToList();
        return new ImportResult(lines.Count, ordered.Count(r => r.Outcome == "shipped"), ordered.Count(r => r.Outcome == "unchanged"),
            ordered.Count(r => r.Outcome == "refused"), ordered.Count(r => r.Outcome == "invalid"), ordered);
    }

    public async Task<Result<OperatorOrderView>> GetAsync(string orderNo, CancellationToken cancellationToken)
        => await FindAsync(orderNo, cancellationToken) is { } order ? await ViewAsync(order, cancellationToken) : OrderNotFound;

    /// <summary>A page of a bucket, oldest payment first. Entries an interrupted move left behind are dropped (and removed).</summary>
    public async Task<OperatorOrderPage> ListAsync(OrderBucket bucket, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await index.ListAsync(bucket, continuationToken, pageSize, cancellationToken);
        var views = await Task.WhenAll(page.Orders.Select(async entry =>
        {
            var order = await orders.GetAsync(entry.OpenId, entry.OrderNo, cancellationToken);
            var upload = order is null ? null : await uploads.GetAsync(order.OpenId, order.OrderNo, cancellationToken);
            var belongs = order is not null && (bucket == OrderBucket.UploadFailed ? upload?.State == UploadState.Failed : OrderBuckets.Of(order) == bucket);
            if (!belongs)
            {
                await index.RemoveAsync(bucket, entry.OrderNo, entry.PaidAt, cancellationToken);
                return null;
            }

            return ToView(order!, upload);
        }));
        return new OperatorOrderPage([.. views.Where(v => v is not null).Select(v => v!)], page.ContinuationToken);
    }

    private static readonly Error OrderNotFound = Error.NotFound("order_not_found", "No paid order has this number.");

    private sealed record ShipOutcome(Order Order, bool Replayed, string? PackageId);

    private async Task<Result<ShipOutcome>> ShipCoreAsync(
        string orderNo, LogisticsType type, Func<Order, IReadOnlyList<NewPackage>> packagesFor, string requestKey, string requestHash, CancellationToken cancellationToken)
    {
        var order = await FindAsync(orderNo, cancellationToken);
        if (order is null) return OrderNotFound;
        if (type == LogisticsType.Express)
        {
            foreach (var company in packagesFor(order).Select(p => p.ExpressCompany).Distinct())
            {
                if (company is null || !await carriers.IsKnownAsync(company, cancellationToken))
                {
                    return Error.Invalid("unknown_express_company", $"'{company}' is not a carrier WeChat knows (get_delivery_list).");
                }
            }
        }

        OrderBucket? previous = null;
        var outcome = await Optimistic.RetryAsync<Result<ShipOutcome>>($"Order {orderNo}", async attempt =>
        {
            if (attempt > 0) order = await orders.GetAsync(order.OpenId, orderNo, cancellationToken) ?? order;
            if (order.Fulfilment.Packages.FirstOrDefault(p => p.RequestKey == requestKey) is { } earlier)
            {
                return Done(earlier.RequestHash == requestHash
                    ? new ShipOutcome(order, Replayed: true, earlier.PackageId)
                    : Error.Conflict("idempotency_key_reused", "This shipment's key was used for other packages."));
            }

            previous = OrderBuckets.Of(order);
            var result = order.Ship(type, packagesFor(order), time.GetUtcNow(), requestKey, requestHash);
            if (!result.Shipped) return Done(Refusal(result.Refusal!.Value, result.Reason!));
            return await orders.TrySaveAsync(order, cancellationToken) ? Done(new ShipOutcome(order, Replayed: false, result.Added[0].PackageId)) : Attempt<Result<ShipOutcome>>.Again;
        }, cancellationToken);
        if (!outcome.IsSuccess) return outcome;

        var replayed = outcome.Value!.Replayed;
        await AfterShipAsync(order, replayed ? OrderBucket.ToShip : previous, cancellationToken);
        if (!replayed)
        {
            logger.LogInformation("Order {OrderNo} shipped {Packages} package(s); now {Status}", orderNo, order.Fulfilment.Packages.Count, order.Status);
            WeStoreTelemetry.Shipments.Add(1, new KeyValuePair<string, object?>("logistics", FulfilmentView.LogisticsName(type)));
        }

        return outcome;

        static Attempt<Result<ShipOutcome>> Done(Result<ShipOutcome> result) => result;
    }

    /// <summary>
    /// What follows a shipment, each step idempotent (a replay repeats them harmlessly) and independent of the others,
    /// so they go at once: the index move, the auto-confirm entry, the upload and the shipped notice.
    /// </summary>
    private async Task AfterShipAsync(Order order, OrderBucket? previous, CancellationToken cancellationToken)
    {
        var steps = new List<Task>
        {
            index.SyncAsync(order, previous ?? OrderBucket.ToShip, cancellationToken),
            messages.SendAsync(FulfilmentQueues.ShippingUpload, new ShippingUploadMessage(order.OpenId, order.OrderNo), cancellationToken: cancellationToken),
            messages.SendAsync(FulfilmentQueues.OrderShipped,
                new OrderShippedMessage(order.OpenId, order.OrderNo, [.. order.Fulfilment.Packages.Select(p => p.PackageId)]), cancellationToken: cancellationToken),
        };
        if (order.Status == OrderStatus.Shipped && order.Fulfilment.LastShippedAt is { } last)
        {
            steps.Add(schedule.AddAsync(FulfilmentScheduler.Entry(DueKind.AutoConfirm, order, last + options.Value.AutoConfirm, time.GetUtcNow()), cancellationToken));
        }

        await Task.WhenAll(steps);
    }

    private static Error Refusal(ShipRefusal refusal, string reason) => refusal switch
    {
        ShipRefusal.NotShippable => Error.Conflict("order_not_shippable", reason),
        ShipRefusal.RefundPending => Error.Conflict("order_refund_pending", reason),
        ShipRefusal.TeamNotWon => Error.Conflict("team_not_won", reason),
        ShipRefusal.LogisticsTypeChanged => Error.Conflict("logistics_type_changed", reason),
        ShipRefusal.TooManyPackages => Error.Invalid("too_many_packages", reason),
        ShipRefusal.QuantityBeyondOrdered => Error.Invalid("quantity_beyond_order", reason),
        ShipRefusal.UnknownSku => Error.Invalid("sku_not_in_order", reason),
        ShipRefusal.SplitNotExpress => Error.Invalid("split_not_express", reason),
        _ => Error.Invalid("empty_package", reason),
    };

    private async Task<Order?> FindAsync(string orderNo, CancellationToken cancellationToken)
    {
        if (!OrderNumbers.IsValid(orderNo)) return null;
        var openId = await index.FindOpenIdAsync(orderNo, cancellationToken);
        return openId is null ? null : await orders.GetAsync(openId, orderNo, cancellationToken);
    }

    private async Task<OperatorOrderView> ViewAsync(Order order, CancellationToken cancellationToken)
        => ToView(order, order.Fulfilment.Packages.Count == 0 ? null : await uploads.GetAsync(order.OpenId, order.OrderNo, cancellationToken));

    public static OperatorOrderView ToView(Order order, ShippingUpload? upload) => new(
        OrderView.From(order), order.OpenId, order.PaidAmount, order.RefundedAmount, order.TransactionId,
        [.. order.Refunds.Select(r => new OperatorRefundView(r.OutRefundNo, r.Amount, r.Status.ToString().ToLowerInvariant(), r.RequestedAt))],
        FulfilmentView.From(order, upload));

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
