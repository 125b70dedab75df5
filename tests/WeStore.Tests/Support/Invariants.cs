using WeStore.Domain.Orders;
using WeStore.Load.Invariants;

namespace WeStore.Tests.Support;

/// <summary>
/// The load tool's invariant checker (<see cref="InvariantChecker"/>) over one scenario's SKUs, orders and campaigns in
/// the shared test store, against the scenario's own sandbox. Returns the violations, each in a sentence.
/// </summary>
public static class Invariants
{
    public static async Task<IReadOnlyList<string>> CheckAsync(StoreFixture store, IReadOnlyCollection<string> skus, IReadOnlyCollection<(string OpenId, string OrderNo)> orders, IReadOnlyCollection<string>? campaigns = null)
    {
        // WeChat Pay's records as the load tool's checker reads them, from the sandbox's own route.
        using var sandbox = new HttpClient { BaseAddress = new Uri(store.Sandbox.Url) };
        var payments = await InvariantChecker.ReadPaymentsAsync(sandbox, default);
        return await new InvariantChecker(store.Host.Services).CheckAsync(CheckScope.For(skus, orders, campaigns), payments, default);
    }

    /// <summary>Points a member should hold after their paid orders, each earning once at the member tier.</summary>
    public static long ExpectedPoints(IEnumerable<Order> paid) => paid.Sum(o => o.PaidAmount / 100);
}
