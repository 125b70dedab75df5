using WeStore.Domain.Orders;
using WeStore.Load.Invariants;

namespace WeStore.Tests.Support;

/// <summary>
/// The load tool's invariant checker (<see cref="InvariantChecker"/>) over one scenario's SKUs, orders and campaigns in
/// the shared test store, against the scenario's own sandbox. Returns the violations, each in a sentence.
/// </summary>
public static class Invariants
{
    public static Task<IReadOnlyList<string>> CheckAsync(StoreFixture store, IReadOnlyCollection<string> skus, IReadOnlyCollection<(string OpenId, string OrderNo)> orders, IReadOnlyCollection<string>? campaigns = null)
        => new InvariantChecker(store.Host.Services, TestStorage.ConnectionString).CheckAsync(CheckScope.For(skus, orders, campaigns), Payments(store), default);

    /// <summary>The sandbox's WeChat Pay records, as the checker reads them.</summary>
    public static IReadOnlyDictionary<string, PaymentRecord> Payments(StoreFixture store)
        => store.Sandbox.Pay.Transactions.Values.Select(t =>
        {
            lock (t)
            {
                return new PaymentRecord(t.OutTradeNo, t.OpenId, t.TradeState, t.Total, t.Refunds.Where(r => r.Status == "SUCCESS").Sum(r => r.Amount));
            }
        }).ToDictionary(p => p.OutTradeNo, StringComparer.Ordinal);

    /// <summary>Points a member should hold after their paid orders, each earning once at the member tier.</summary>
    public static long ExpectedPoints(IEnumerable<Order> paid) => paid.Sum(o => o.PaidAmount / 100);
}
