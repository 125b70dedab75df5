using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Storage;

namespace WeStore.Load.Invariants;

/// <summary><c>check</c>: the invariant checker on its own, over the whole store and the sandbox's WeChat Pay records.</summary>
internal static class CheckCommand
{
    public static async Task<int> RunAsync(string storage, string sandboxUrl, int settleSeconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = storage }).Build();
        await using var services = new ServiceCollection().AddLogging().AddWeStoreStorage(configuration).BuildServiceProvider();
        var checker = new InvariantChecker(services);
        using var sandbox = new HttpClient { BaseAddress = new Uri(sandboxUrl) };
        // The store settles asynchronously (order-paid consumers, retries after a failure, timeouts): the invariants
        // must hold once it is quiet. Check until they do or the settle time is up, and report the last check.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(settleSeconds);
        CheckScope scope;
        IReadOnlyDictionary<string, PaymentRecord> payments;
        IReadOnlyList<string> violations;
        var checks = 0;
        while (true)
        {
            await checker.WaitForQueuesAsync(deadline - clock.Elapsed, default);
            scope = await checker.DiscoverAsync(default);
            payments = await InvariantChecker.ReadPaymentsAsync(sandbox, default);
            violations = await checker.CheckAsync(scope, payments, default);
            checks++;
            if (violations.Count == 0 || clock.Elapsed > deadline) break;
            await Task.Delay(TimeSpan.FromSeconds(5));
        }

        Console.WriteLine($"invariants: {scope.Orders.Count} orders, {payments.Count} WeChat Pay transactions ({payments.Values.Count(p => p.Paid)} paid), " +
            $"{scope.Skus.Count} SKUs, {scope.Campaigns.Count} campaigns, {scope.Members.Count} members checked " +
            $"(settled after {clock.Elapsed.TotalSeconds:0} s, {checks} check(s)); {violations.Count} violation(s) {(violations.Count == 0 ? "OK" : "VIOLATED")}");
        foreach (var violation in violations) Console.WriteLine("  violation: " + violation);
        return violations.Count == 0 ? 0 : 4;
    }
}
