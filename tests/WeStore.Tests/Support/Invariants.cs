using Azure.Storage.Queues;
using WeStore.Domain.Catalog;
using WeStore.Domain.Loyalty;
using WeStore.Domain.Orders;

namespace WeStore.Tests.Support;

/// <summary>
/// The invariants a scenario must leave intact, checked against storage and the WeChat Pay sandbox's own records:
/// stock is conserved and matches the orders; every order WeChat Pay took money for is paid (or refunded) here and
/// the other way round, for the same amount; points balances equal their ledgers; no message sits in a poison queue.
/// Returns the violations, each in a sentence.
/// </summary>
public static class Invariants
{
    public static async Task<IReadOnlyList<string>> CheckAsync(StoreFixture store, IReadOnlyCollection<string> skus, IReadOnlyCollection<(string OpenId, string OrderNo)> orders)
    {
        var violations = new List<string>();
        var repository = store.Service<IOrderRepository>();
        var loaded = new List<Order>();
        foreach (var (openId, orderNo) in orders)
        {
            var order = await repository.GetAsync(openId, orderNo, default);
            var paidAtWeChat = store.Sandbox.Pay.Transactions.TryGetValue(orderNo, out var t) && t.TradeState is "SUCCESS" or "REFUND";
            if (order is null)
            {
                if (paidAtWeChat) violations.Add($"{orderNo} was paid at WeChat Pay but has no order here");
                continue;
            }

            loaded.Add(order);
            var paidHere = order.Status is OrderStatus.Paid or OrderStatus.Refunded or OrderStatus.PartiallyRefunded;
            if (paidAtWeChat != (paidHere || order.PaymentIssue is not null)) violations.Add($"{orderNo}: WeChat Pay says {t?.TradeState ?? "nothing"}, the order is {order.Status}");
            if (paidHere && t is not null && t.Total != order.PaidAmount) violations.Add($"{orderNo}: WeChat Pay took {t.Total} fen, the order recorded {order.PaidAmount}");
        }

        var stock = store.Service<IStockRepository>();
        foreach (var sku in skus)
        {
            var level = await stock.GetLevelAsync(sku, default);
            if (level is null)
            {
                violations.Add($"SKU {sku} has no stock rows");
                continue;
            }

            if (level.Received != level.Available + level.Held + level.Sold) violations.Add($"SKU {sku}: received {level.Received} ≠ available {level.Available} + held {level.Held} + sold {level.Sold}");
            var sold = loaded.Where(o => o.Status is OrderStatus.Paid or OrderStatus.Refunded or OrderStatus.PartiallyRefunded).SelectMany(o => o.Lines).Where(l => l.SkuId == sku).Sum(l => (long)l.Quantity);
            var held = loaded.Where(o => o.Status == OrderStatus.PendingPayment).SelectMany(o => o.Lines).Where(l => l.SkuId == sku).Sum(l => (long)l.Quantity);
            if (level.Sold != sold) violations.Add($"SKU {sku}: {level.Sold} sold, the paid orders hold {sold}");
            if (level.Held != held) violations.Add($"SKU {sku}: {level.Held} held, the unpaid orders hold {held}");
        }

        var points = store.Service<IPointsRepository>();
        foreach (var openId in orders.Select(o => o.OpenId).Distinct())
        {
            var account = await points.GetAsync(openId, default);
            long sum = 0;
            string? token = null;
            do
            {
                var page = await points.ReadLedgerAsync(openId, token, 100, default);
                sum += page.Entries.Sum(e => e.Delta);
                token = page.ContinuationToken;
            }
            while (token is not null);

            if (account.Balance != sum) violations.Add($"member {openId[..8]}…: points balance {account.Balance} ≠ ledger sum {sum}");
            if (account.Balance < 0) violations.Add($"member {openId[..8]}…: negative points balance");
        }

        foreach (var queue in new[] { OrderQueues.Paid, OrderQueues.Timeout, WeStore.Application.Loyalty.LoyaltyQueues.Expiry, WeStore.Application.Loyalty.LoyaltyQueues.Reminder })
        {
            var poison = new QueueClient(TestStorage.ConnectionString, queue + "-poison");
            if (await poison.ExistsAsync() && (await poison.PeekMessagesAsync(32)).Value.Length > 0) violations.Add($"{queue}-poison holds messages");
        }

        return violations;
    }

    /// <summary>Points a member should hold after their paid orders, each earning once at the member tier.</summary>
    public static long ExpectedPoints(IEnumerable<Order> paid) => paid.Sum(o => o.PaidAmount / 100);
}
