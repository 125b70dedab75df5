using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Application.Loyalty;
using WeStore.Application.Segments;
using WeStore.Domain.Catalog;
using WeStore.Domain.Coupons;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Loyalty;
using WeStore.Domain.Orders;
using WeStore.Domain.Push;
using WeStore.Storage;

namespace WeStore.Load.Invariants;

/// <summary>What WeChat Pay holds for one transaction (the sandbox's records).</summary>
public sealed record PaymentRecord(string OutTradeNo, string OpenId, string TradeState, long Total, long Refunded, IReadOnlyDictionary<string, string>? RefundStates = null)
{
    public bool Paid => TradeState is "SUCCESS" or "REFUND";
}

/// <summary>
/// What to check. A scenario in a shared store names its own SKUs, orders, campaigns and members; the whole store
/// is discovered by <see cref="InvariantChecker.DiscoverAsync"/> (cross-partition scans: an offline check, never a
/// request path). <see cref="WholeStore"/> also compares every WeChat Pay transaction and every queue.
/// </summary>
public sealed record CheckScope(
    IReadOnlyCollection<string> Skus,
    IReadOnlyCollection<(string OpenId, string OrderNo)> Orders,
    IReadOnlyCollection<string> Campaigns,
    IReadOnlyCollection<string> Members,
    bool WholeStore = false)
{
    public static CheckScope For(IReadOnlyCollection<string> skus, IReadOnlyCollection<(string OpenId, string OrderNo)> orders, IReadOnlyCollection<string>? campaigns = null)
        => new(skus, orders, campaigns ?? [], orders.Select(o => o.OpenId).Distinct().ToList());
}

/// <summary>
/// The invariants a scenario must leave intact, checked against storage and WeChat Pay's own records: each SKU's
/// stock is conserved and matches its orders; every order WeChat Pay took money for is paid (or refunded) here and the
/// other way round, for the same amounts; coupons issued stay within each campaign's stock and per-member limit and
/// every issued coupon is in its member's wallet; each member's points balance equals the ledger's sum and the lots'
/// remainder, never negative; nothing ships beyond what was ordered less refunded, and every shipped WeChat-paid order
/// has an upload or a failure operators see; no order refunds more than it was paid, every refund is final or still in
/// progress at WeChat Pay, and returned stock comes back once per received return; no message waits unprocessed, and each poison message is listed with what it carried.
/// Returns the violations, each in a sentence.
/// </summary>
public sealed class InvariantChecker(IServiceProvider services)
{
    private static readonly string[] AppQueues =
    [
        OrderQueues.Paid, OrderQueues.Timeout, LoyaltyQueues.Expiry, LoyaltyQueues.Reminder,
        FulfilmentQueues.ShippingUpload, FulfilmentQueues.OrderShipped, FulfilmentQueues.FulfilmentDue, FulfilmentQueues.OrderCompleted, PushQueues.MiniProgramEvents,
        OrderQueues.RefundFollow, PushQueues.WeComEvents, PushQueues.UnionIdLinks, WeStore.Application.OfficialAccount.OfficialAccountPush.Queue,
        SegmentQueues.Backfill, SegmentQueues.Broadcasts, SegmentQueues.WeComTags, WeStore.Domain.GroupBuys.GroupBuyQueues.TeamTimeout,
    ];

    /// <summary>The facts queue, checked like the others unless its consumer is switched off (AzureWebJobs.&lt;name&gt;.Disabled).</summary>
    private bool FactsConsumerOn => !string.Equals(services.GetService<Microsoft.Extensions.Configuration.IConfiguration>()?["AzureWebJobs.ApplyMemberFactsFunction.Disabled"], "true", StringComparison.OrdinalIgnoreCase);

    private IEnumerable<string> CheckedQueues => FactsConsumerOn ? AppQueues.Append(SegmentQueues.MemberFacts) : AppQueues;

    private readonly IOrderRepository _orders = services.GetRequiredService<IOrderRepository>();
    private readonly IStockRepository _stock = services.GetRequiredService<IStockRepository>();
    private readonly IPointsRepository _points = services.GetRequiredService<IPointsRepository>();
    private readonly ICouponCampaignRepository _campaigns = services.GetRequiredService<ICouponCampaignRepository>();
    private readonly ICouponRepository _coupons = services.GetRequiredService<ICouponRepository>();
    private readonly ICatalogRepository _catalog = services.GetRequiredService<ICatalogRepository>();
    private readonly IShippingUploadRepository _uploads = services.GetRequiredService<IShippingUploadRepository>();
    private readonly WeStore.Domain.AfterSales.IAfterSaleRepository _afterSales = services.GetRequiredService<WeStore.Domain.AfterSales.IAfterSaleRepository>();
    private readonly IOrderIndex _index = services.GetRequiredService<IOrderIndex>();
    private readonly StorageClients _storage = services.GetRequiredService<StorageClients>();

    public async Task<CheckScope> DiscoverAsync(CancellationToken ct)
    {
        var skus = (await _catalog.ListAsync(ct)).SelectMany(p => p.Skus).Select(s => s.Id).Distinct().ToList();
        var members = Table(TableNames.Members);
        var orders = new List<(string, string)>();
        var points = new List<string>();
        try
        {
            await foreach (var row in members.QueryAsync<TableEntity>("RowKey ge 'order|' and RowKey lt 'order}'", select: ["PartitionKey", "RowKey"], cancellationToken: ct))
            {
                orders.Add((row.PartitionKey, row.RowKey["order|".Length..]));
            }

            await foreach (var row in members.QueryAsync<TableEntity>("RowKey eq 'points'", select: ["PartitionKey"], cancellationToken: ct)) points.Add(row.PartitionKey);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // An empty store: no member has done anything yet.
        }

        var campaigns = (await _campaigns.ListAsync(ct)).Select(c => c.Id).ToList();
        return new CheckScope(skus, orders, campaigns, points.Union(orders.Select(o => o.Item1)).ToList(), WholeStore: true);
    }

    public async Task<IReadOnlyList<string>> CheckAsync(CheckScope scope, IReadOnlyDictionary<string, PaymentRecord> payments, CancellationToken ct)
    {
        var violations = new List<string>();
        var loaded = await CheckPaymentsAsync(scope, payments, violations, ct);
        await CheckStockAsync(scope.Skus, loaded, violations, ct);
        await CheckFulfilmentAsync(loaded, violations, ct);
        await CheckTeamsAsync(loaded, violations, ct);
        foreach (var campaign in scope.Campaigns) await CheckCampaignAsync(campaign, violations, ct);
        foreach (var member in scope.Members) await CheckPointsAsync(member, violations, ct);
        foreach (var member in scope.Members) await CheckReferralAsync(member, violations, ct);
        await CheckWeComCouponsAsync(violations, ct);
        if (FactsConsumerOn) await CheckSegmentsAsync(violations, ct);
        await CheckQueuesAsync(scope.WholeStore, violations, ct);
        return violations;
    }

    /// <summary>
    /// Each coupon a WeCom add issued is in its member's wallet, and a contact still waiting for its member has had
    /// none issued yet (it is issued at the link). A campaign that ran out issues none, which is no violation.
    /// </summary>
    private async Task CheckWeComCouponsAsync(List<string> violations, CancellationToken ct)
    {
        try
        {
            await foreach (var row in Table(TableNames.UnionIds).QueryAsync<TableEntity>("RowKey ge 'wecom|' and RowKey lt 'wecom}'", cancellationToken: ct))
            {
                if (row.GetString("CouponCampaignId") is not { } campaign || row.GetString("ExternalUserId") is not { } externalUserId) continue;
                var couponId = await _campaigns.CouponIdForKeyAsync(campaign, WeStore.Application.WeCom.ContactLinker.CouponKey(campaign, externalUserId), ct);
                var openId = row.GetString("LinkedOpenId");
                if (couponId is null) continue;
                if (openId is null)
                {
                    // Issued and then the link's last step failed: the coupon must be in the wallet of the unionid's member.
                    var member = (await Table(TableNames.UnionIds).GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, "member", cancellationToken: ct)) is { HasValue: true } m ? m.Value!.GetString("OpenId") : null;
                    if (member is null || await _coupons.GetAsync(member, couponId, ct) is null) violations.Add($"WeCom contact {externalUserId}: coupon {couponId} of {campaign} was issued but is in no wallet");
                }
                else if (await _coupons.GetAsync(openId, couponId, ct) is null)
                {
                    violations.Add($"WeCom contact {externalUserId}: coupon {couponId} of {campaign} is not in member {openId}'s wallet");
                }
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No unionid was ever indexed.
        }
    }

    /// <summary>
    /// Every segment's size (its shards' counts) equals its membership rows, and each member in it is there by their
    /// facts: the facts row names the segment, and evaluating the rules on it now agrees (the checker may scan).
    /// </summary>
    private async Task CheckSegmentsAsync(List<string> violations, CancellationToken ct)
    {
        var segments = services.GetRequiredService<WeStore.Domain.Segments.ISegmentStore>();
        var facts = services.GetRequiredService<WeStore.Domain.Segments.IMemberFactsStore>();
        // The check command runs on storage alone: the settings' defaults and the wall clock then.
        var rules = (services.GetService<Microsoft.Extensions.Options.IOptions<SegmentsOptions>>()?.Value ?? new SegmentsOptions()).StageRules;
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        IReadOnlyList<WeStore.Domain.Segments.SegmentDefinition> definitions;
        try
        {
            definitions = await segments.ListAsync(ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return; // no segment was ever made
        }

        foreach (var segment in definitions)
        {
            var members = new List<string>();
            string? token = null;
            do
            {
                var page = await segments.ReadMembersAsync(segment.Id, token, 1000, ct);
                members.AddRange(page.OpenIds);
                token = page.ContinuationToken;
            }
            while (token is not null);

            var size = await segments.SizeAsync(segment.Id, ct);
            if (size != members.Count) violations.Add($"segment {segment.Id}: size {size} but {members.Count} membership rows");
            foreach (var openId in members)
            {
                var f = await facts.GetAsync(openId, ct);
                if (f is null || !f.Segments.ContainsKey(segment.Id)) violations.Add($"segment {segment.Id}: {Short(openId)} has a membership row its facts do not name");
                else if (!segment.Matches(f.ValuesAt(now, rules), now) && (f.DueDay is not { } due || due > WeStore.Domain.Common.BusinessCalendar.DayOf(now).AddDays(1)))
                {
                    // Time alone may have moved the member out since the last daily run: allowed while a look is due by tomorrow.
                    violations.Add($"segment {segment.Id}: {Short(openId)} is a member, but its facts no longer match and no look is due");
                }
            }
        }
    }

    private async Task<List<Order>> CheckPaymentsAsync(CheckScope scope, IReadOnlyDictionary<string, PaymentRecord> payments, List<string> violations, CancellationToken ct)
    {
        var loaded = new List<Order>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (openId, orderNo) in scope.Orders)
        {
            seen.Add(orderNo);
            var order = await _orders.GetAsync(openId, orderNo, ct);
            var payment = payments.GetValueOrDefault(orderNo);
            if (order is null)
            {
                if (payment?.Paid == true) violations.Add($"{orderNo} was paid at WeChat Pay but has no order here");
                continue;
            }

            loaded.Add(order);
            var paidHere = order.HasBeenPaid;
            // A payment that arrived for a closed order is recorded as an issue (and refunded), not as a sale.
            if ((payment?.Paid == true) != (paidHere || order.PaymentIssue is not null))
            {
                violations.Add($"{orderNo}: WeChat Pay says {payment?.TradeState ?? "nothing"}, the order is {order.Status}");
            }

            if (paidHere && payment is not null && payment.Total != order.PaidAmount) violations.Add($"{orderNo}: WeChat Pay took {payment.Total} fen, the order recorded {order.PaidAmount}");
            if (payment is not null && order.PaymentIssue is null && payment.Refunded != order.RefundedAmount)
            {
                violations.Add($"{orderNo}: WeChat Pay refunded {payment.Refunded} fen, the order recorded {order.RefundedAmount}");
            }

            if (order.RefundedAmount > order.PaidAmount) violations.Add($"{orderNo}: refunded {order.RefundedAmount} fen of {order.PaidAmount} paid");

            // A refund still pending here must still be in progress there (being followed); a final verdict there is one the store missed.
            foreach (var refund in order.Refunds.Where(r => r.Status == RefundStatus.Pending))
            {
                if (payment?.RefundStates?.GetValueOrDefault(refund.OutRefundNo) is { } there && there is "SUCCESS" or "CLOSED")
                {
                    violations.Add($"{orderNo}: refund {refund.OutRefundNo} is {there} at WeChat Pay but still pending here (no longer followed)");
                }
            }
        }

        if (scope.WholeStore)
        {
            foreach (var payment in payments.Values.Where(p => p.Paid && !seen.Contains(p.OutTradeNo)))
            {
                violations.Add($"{payment.OutTradeNo} was paid at WeChat Pay ({payment.Total} fen) but has no order here");
            }
        }

        return loaded;
    }

    /// <summary>Which orders a SKU's mismatch is in: a paid order whose hold is not sold, an unpaid one whose hold is
    /// not held, a closed one that kept its hold, a hold whose order is not there (at most ten named).</summary>
    private async Task NameMismatchedHoldsAsync(string sku, List<Order> orders, List<string> violations, CancellationToken ct)
    {
        var table = Table(TableNames.Stock);
        var holds = new Dictionary<string, string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {sku} and RowKey ge {"hold-"} and RowKey lt {"hold."}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) holds[row.RowKey["hold-".Length..]] = row.GetString("State") ?? "held";
        var named = 0;
        foreach (var order in orders.Where(o => o.Lines.Any(l => l.SkuId == sku)))
        {
            var state = holds.Remove(order.OrderNo, out var s) ? s : "missing";
            var paid = order.HasBeenPaid;
            var expected = paid ? "sold" : order.Status == OrderStatus.PendingPayment ? "held" : "missing"; // a release deletes the hold
            if (state == expected) continue;
            if (named++ < 10) violations.Add($"SKU {sku}: order {order.OrderNo} is {WeStore.Application.Orders.OrderView.StatusName(order.Status)}, its hold is {state}");
        }

        foreach (var (orderNo, state) in holds.Take(Math.Max(0, 10 - named)))
        {
            violations.Add($"SKU {sku}: a {state} hold for {orderNo}, which has no order here");
        }
    }

    private async Task CheckStockAsync(IReadOnlyCollection<string> skus, List<Order> orders, List<string> violations, CancellationToken ct)
    {
        foreach (var sku in skus)
        {
            var level = await _stock.GetLevelAsync(sku, ct);
            if (level is null)
            {
                violations.Add($"SKU {sku} has no stock rows");
                continue;
            }

            if (level.Received != level.Available + level.Held + level.Sold)
            {
                violations.Add($"SKU {sku}: received {level.Received} ≠ available {level.Available} + held {level.Held} + sold {level.Sold}");
            }

            if (level.Available < 0) violations.Add($"SKU {sku}: available {level.Available} (oversold)");
            var sold = Quantity(orders.Where(o => o.HasBeenPaid), sku);
            var held = Quantity(orders.Where(o => o.Status == OrderStatus.PendingPayment), sku);
            if (level.Sold != sold) violations.Add($"SKU {sku}: {level.Sold} sold, the paid orders hold {sold}");
            if (level.Held != held) violations.Add($"SKU {sku}: {level.Held} held, the unpaid orders hold {held}");
            if (level.Sold != sold || level.Held != held) await NameMismatchedHoldsAsync(sku, orders, violations, ct);

            // Returned goods go back on sale once per received return that asked for it.
            long restocked = 0;
            foreach (var order in orders.Where(o => o.AfterSales.Any(a => a.Lines.Any(l => l.SkuId == sku))))
            {
                foreach (var claim in order.AfterSales)
                {
                    var afterSale = await _afterSales.GetAsync(order.OpenId, claim.Id, ct);
                    var received = afterSale is { Restock: true, Status: WeStore.Domain.AfterSales.AfterSaleStatus.ReturnReceived or WeStore.Domain.AfterSales.AfterSaleStatus.Refunding
                        or WeStore.Domain.AfterSales.AfterSaleStatus.Refunded or WeStore.Domain.AfterSales.AfterSaleStatus.RefundAbnormal };
                    if (received) restocked += afterSale!.Lines.Where(l => l.SkuId == sku).Sum(l => (long)l.Quantity);
                }
            }

            // A failed group-buy team's refunded orders put their unit back, once each (their seat says so when done).
            foreach (var team in await TeamsOfAsync(orders.Where(o => o.Team is not null && o.Lines.Any(l => l.SkuId == sku)), ct))
            {
                if (team.Status == WeStore.Domain.GroupBuys.TeamStatus.Failed) restocked += team.Seats.Count(s => s.Refund == WeStore.Domain.GroupBuys.SeatRefund.Succeeded);
            }

            if (level.Restocked != restocked) violations.Add($"SKU {sku}: {level.Restocked} restocked, the received returns brought back {restocked}");
        }
    }

    /// <summary>
    /// A referral reward stands for one completed order of the referred member placed after the binding: rewards issued
    /// never outnumber the referred members' completed first orders (one reward per referred member, by its state).
    /// </summary>
    private async Task CheckReferralAsync(string openId, List<string> violations, CancellationToken ct)
    {
        var referral = await services.GetRequiredService<WeStore.Domain.Referrals.IReferralStore>().GetAsync(openId, ct);
        if (referral.State == WeStore.Domain.Referrals.RewardState.Pending) return;
        var order = referral.Reward is { } reward ? await _orders.GetAsync(openId, reward.OrderNo, ct) : null;
        if (order is null || order.Fulfilment.CompletedAt is null) violations.Add($"{Short(openId)}: a referral reward for {referral.Reward?.OrderNo ?? "no order"}, which did not complete");
        else if (order.CreatedAt < referral.BoundAt) violations.Add($"{Short(openId)}: a referral reward for {order.OrderNo}, placed before the binding");
        if (referral.State == WeStore.Domain.Referrals.RewardState.ClawedBack && order is not null && order.RefundedAmount < order.PaidAmount)
        {
            violations.Add($"{Short(openId)}: a referral reward clawed back for {order.OrderNo}, which is not refunded in full");
        }
    }

    private async Task<List<WeStore.Domain.GroupBuys.Team>> TeamsOfAsync(IEnumerable<Order> orders, CancellationToken ct)
    {
        var store = services.GetRequiredService<WeStore.Domain.GroupBuys.IGroupBuyStore>();
        var teams = new List<WeStore.Domain.GroupBuys.Team>();
        foreach (var teamId in orders.Select(o => o.Team!.TeamId).Distinct(StringComparer.Ordinal))
        {
            if (await store.GetTeamAsync(teamId, ct) is { } team) teams.Add(team);
        }

        return teams;
    }

    /// <summary>
    /// Group-buy teams: seats ≤ size; one seat per member; a team's paid seats are exactly its paid orders, and a held
    /// seat's order is unpaid; a won team has every seat paid and its orders released to ship; every paid order of a
    /// failed team is refunded in full or being refunded, and a seat is marked refunded only when its order is.
    /// </summary>
    private async Task CheckTeamsAsync(List<Order> orders, List<string> violations, CancellationToken ct)
    {
        var byOrder = orders.Where(o => o.Team is not null).ToDictionary(o => o.OrderNo, StringComparer.Ordinal);
        foreach (var team in await TeamsOfAsync(byOrder.Values, ct))
        {
            if (team.Seats.Count > team.Size) violations.Add($"team {team.Id}: {team.Seats.Count} seats for a team of {team.Size} (over-filled)");
            if (team.Seats.GroupBy(s => s.OpenId, StringComparer.Ordinal).Any(g => g.Count() > 1)) violations.Add($"team {team.Id}: a member holds two seats");
            var paidOrders = byOrder.Values.Where(o => o.Team!.TeamId == team.Id && o.HasBeenPaid).Select(o => o.OrderNo).ToHashSet(StringComparer.Ordinal);
            var paidSeats = team.Seats.Where(s => s.State == WeStore.Domain.GroupBuys.SeatState.Paid).Select(s => s.OrderNo).ToHashSet(StringComparer.Ordinal);
            if (!paidOrders.SetEquals(paidSeats)) violations.Add($"team {team.Id}: {paidSeats.Count} paid seats but {paidOrders.Count} paid orders");
            foreach (var held in team.Seats.Where(s => s.State == WeStore.Domain.GroupBuys.SeatState.Held))
            {
                if (byOrder.TryGetValue(held.OrderNo, out var o) && o.Status != OrderStatus.PendingPayment) violations.Add($"team {team.Id}: a held seat's order {o.OrderNo} is {o.Status}");
            }

            if (team.Status == WeStore.Domain.GroupBuys.TeamStatus.Won)
            {
                if (paidSeats.Count != team.Size) violations.Add($"team {team.Id} is won with {paidSeats.Count} of {team.Size} seats paid");
                foreach (var no in paidSeats.Where(byOrder.ContainsKey)) if (!byOrder[no].IsReleasedToShip) violations.Add($"team {team.Id} is won but {no} is not released to ship");
            }
            else if (team.Status == WeStore.Domain.GroupBuys.TeamStatus.Failed)
            {
                foreach (var seat in team.Seats.Where(s => paidOrders.Contains(s.OrderNo)))
                {
                    var o = byOrder[seat.OrderNo];
                    if (o.CommittedRefundAmount < o.PaidAmount) violations.Add($"team {team.Id} failed but its paid order {o.OrderNo} is not (being) refunded in full");
                    if (seat.Refund == WeStore.Domain.GroupBuys.SeatRefund.Succeeded && o.RefundedAmount < o.PaidAmount) violations.Add($"team {team.Id}: {o.OrderNo}'s seat says refunded, the order has {o.RefundedAmount} of {o.PaidAmount} back");
                    if (o.IsReleasedToShip || o.Fulfilment.Packages.Count > 0) violations.Add($"team {team.Id} failed but {o.OrderNo} was released to ship");
                }
            }
            else if (paidSeats.Count == team.Size && team.Seats.All(s => s.PaidAt < team.Deadline))
            {
                violations.Add($"team {team.Id} has every seat paid but is still open");
            }
        }
    }

    /// <summary>
    /// Nothing ships beyond what was ordered and not refunded by line; only a paid order ships; and every WeChat-paid
    /// order that shipped has an upload ledger that was tried and is uploaded, not needed, or failed where operators
    /// see it (the upload-failed list).
    /// </summary>
    private async Task CheckFulfilmentAsync(List<Order> orders, List<string> violations, CancellationToken ct)
    {
        HashSet<string>? listedFailures = null;
        foreach (var order in orders.Where(o => o.Fulfilment.Packages.Count > 0))
        {
            if (!order.HasBeenPaid) violations.Add($"{order.OrderNo} is {order.Status} but shipped {order.Fulfilment.Packages.Count} package(s)");
            foreach (var sku in order.Lines.Select(l => l.SkuId).Distinct(StringComparer.Ordinal))
            {
                var ordered = order.Lines.Where(l => l.SkuId == sku).Sum(l => l.Quantity);
                var shipped = order.Fulfilment.ShippedQuantity(sku);
                var refunded = order.Fulfilment.RefundedQuantity(sku);
                if (shipped > ordered - refunded) violations.Add($"{order.OrderNo}: SKU {sku} shipped {shipped}, ordered {ordered}, refunded {refunded}");
            }

            if (order.Fulfilment.Packages.SelectMany(p => p.Items).Any(i => order.Lines.All(l => l.SkuId != i.SkuId)))
            {
                violations.Add($"{order.OrderNo} shipped a SKU it does not hold");
            }

            if (order.TransactionId is null) continue;
            var ledger = await _uploads.GetAsync(order.OpenId, order.OrderNo, ct);
            if (ledger is null || ledger.Attempts == 0 && ledger.State == UploadState.Pending)
            {
                violations.Add($"{order.OrderNo} shipped but its WeChat upload was never tried");
                continue;
            }

            if (ledger.State == UploadState.Failed)
            {
                listedFailures ??= await ListedFailuresAsync(ct);
                if (!listedFailures.Contains(order.OrderNo)) violations.Add($"{order.OrderNo}: its WeChat upload failed (errcode {ledger.LastErrorCode}) but operators are not shown it");
            }
            else if (ledger.State == UploadState.Uploaded && ledger.UploadedPackages.Count == 0)
            {
                violations.Add($"{order.OrderNo}: its ledger says uploaded but holds no package");
            }
        }
    }

    private async Task<HashSet<string>> ListedFailuresAsync(CancellationToken ct)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await _index.ListAsync(OrderBucket.UploadFailed, token, 100, ct);
            listed.UnionWith(page.Orders.Select(o => o.OrderNo));
            token = page.ContinuationToken;
        }
        while (token is not null);

        return listed;
    }

    private static long Quantity(IEnumerable<Order> orders, string sku) => orders.SelectMany(o => o.Lines).Where(l => l.SkuId == sku).Sum(l => (long)l.Quantity);

    private async Task CheckCampaignAsync(string campaignId, List<string> violations, CancellationToken ct)
    {
        var campaign = await _campaigns.GetAsync(campaignId, ct);
        if (campaign is null)
        {
            violations.Add($"campaign {campaignId} does not exist");
            return;
        }

        if (campaign.Claimed > campaign.TotalStock) violations.Add($"campaign {campaignId}: {campaign.Claimed} issued, stock {campaign.TotalStock}");
        var table = Table(TableNames.CouponCampaigns);
        var claims = new List<(string OpenId, string CouponId)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey ge {"claim|"} and RowKey lt {"claim}"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            claims.Add((row.RowKey.Split('|')[1], row.GetString("CouponId") ?? string.Empty));
        }

        if (claims.Count != campaign.Claimed) violations.Add($"campaign {campaignId}: its counters say {campaign.Claimed} issued, {claims.Count} claims are recorded");
        foreach (var member in claims.GroupBy(c => c.OpenId).Where(g => g.Count() > campaign.PerMemberLimit))
        {
            violations.Add($"campaign {campaignId}: member {Short(member.Key)} holds {member.Count()} coupons, the limit is {campaign.PerMemberLimit}");
        }

        foreach (var (openId, couponId) in claims)
        {
            if (await _coupons.GetAsync(openId, couponId, ct) is null) violations.Add($"campaign {campaignId}: coupon {couponId} was issued to {Short(openId)} but is not in the wallet");
        }
    }

    private async Task CheckPointsAsync(string openId, List<string> violations, CancellationToken ct)
    {
        var account = await _points.GetAsync(openId, ct);
        var sum = await LedgerSumAsync(_points, openId, ct);
        if (account.Balance != sum) violations.Add($"member {Short(openId)}: points balance {account.Balance} ≠ ledger sum {sum}");
        if (account.Balance != account.Lots.Sum(l => l.Remaining)) violations.Add($"member {Short(openId)}: points balance {account.Balance} ≠ lots {account.Lots.Sum(l => l.Remaining)}");
        if (account.Balance < 0) violations.Add($"member {Short(openId)}: negative points balance {account.Balance}");
    }

    /// <summary>The sum of a member's whole ledger as stored, page by page.</summary>
    public static async Task<long> LedgerSumAsync(IPointsRepository points, string openId, CancellationToken ct)
    {
        long sum = 0;
        string? token = null;
        do
        {
            var page = await points.ReadLedgerAsync(openId, token, 100, ct);
            sum += page.Entries.Sum(e => e.Delta);
            token = page.ContinuationToken;
        }
        while (token is not null);

        return sum;
    }

    /// <summary>Poison messages always count (each listed with what it carried); visible work left waiting counts for the whole store.</summary>
    private async Task CheckQueuesAsync(bool wholeStore, List<string> violations, CancellationToken ct)
    {
        foreach (var queue in CheckedQueues.Append(SegmentQueues.FlowSteps))
        {
            var poison = RawQueue(queue + "-poison");
            if (await poison.ExistsAsync(ct))
            {
                foreach (var m in (await poison.PeekMessagesAsync(32, ct)).Value)
                {
                    violations.Add($"{queue}-poison holds a message from {m.InsertedOn:u}, dequeued {m.DequeueCount} times: {Decode(m.Body)}");
                }
            }

            // Flow steps wait in their queue by design (each due at its hour), looking again while they wait.
            var visible = queue == SegmentQueues.FlowSteps ? 0 : await VisibleAsync(queue, ct);
            if (wholeStore && visible > 0) violations.Add($"{queue} has {visible} message(s) waiting unprocessed");
        }
    }

    /// <summary>Waits until no app queue holds a visible message (scheduled ones, such as order timeouts, stay hidden).</summary>
    public async Task<bool> WaitForQueuesAsync(TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var waiting = 0;
            foreach (var queue in CheckedQueues) waiting += await VisibleAsync(queue, ct);
            if (waiting == 0) return true;
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(500, ct);
        }
    }

    private async Task<int> VisibleAsync(string queue, CancellationToken ct)
    {
        var client = RawQueue(queue);
        return await client.ExistsAsync(ct) ? (await client.PeekMessagesAsync(32, ct)).Value.Length : 0;
    }

    /// <summary>The sandbox's WeChat Pay transactions (<c>GET /sandbox/pay/transactions</c>).</summary>
    public static async Task<IReadOnlyDictionary<string, PaymentRecord>> ReadPaymentsAsync(HttpClient sandbox, CancellationToken ct)
    {
        var json = await sandbox.GetFromJsonAsync<JsonElement>("/sandbox/pay/transactions", ct);
        return json.GetProperty("transactions").EnumerateArray().Select(t => new PaymentRecord(
            t.GetProperty("outTradeNo").GetString()!, t.GetProperty("openId").GetString()!, t.GetProperty("tradeState").GetString()!,
            t.GetProperty("total").GetInt64(), t.GetProperty("refunded").GetInt64(),
            t.TryGetProperty("refunds", out var refunds)
                ? refunds.EnumerateArray().ToDictionary(r => r.GetProperty("outRefundNo").GetString()!, r => r.GetProperty("status").GetString()!, StringComparer.Ordinal)
                : null)).ToDictionary(p => p.OutTradeNo, StringComparer.Ordinal);
    }

    private static string Decode(BinaryData body)
    {
        var text = body.ToString();
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return text;
        }
    }

    /// <summary>A table scanned directly (discovery and checks read across partitions, which no repository offers).</summary>
    private TableClient Table(string name) => _storage.TableService.GetTableClient(_storage.Names.Table(name));

    /// <summary>A queue as stored, without Base64 decoding (a poison message may not be Base64).</summary>
    private QueueClient RawQueue(string name) => new(_storage.Connection.ConnectionString, _storage.Names.Queue(name));

    private static string Short(string openId) => openId.Length > 8 ? openId[..8] + "…" : openId;
}
