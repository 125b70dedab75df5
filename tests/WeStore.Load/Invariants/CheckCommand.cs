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
        var checker = new InvariantChecker(services, storage);
        if (!await checker.WaitForQueuesAsync(TimeSpan.FromSeconds(settleSeconds), default))
        {
            Console.WriteLine($"invariants: the queues still held visible messages after {settleSeconds} s");
        }

        var scope = await checker.DiscoverAsync(default);
        using var sandbox = new HttpClient { BaseAddress = new Uri(sandboxUrl) };
        var payments = await InvariantChecker.ReadPaymentsAsync(sandbox, default);
        var violations = await checker.CheckAsync(scope, payments, default);
        Console.WriteLine($"invariants: {scope.Orders.Count} orders, {payments.Count} WeChat Pay transactions ({payments.Values.Count(p => p.Paid)} paid), " +
            $"{scope.Skus.Count} SKUs, {scope.Campaigns.Count} campaigns, {scope.Members.Count} members checked; {violations.Count} violation(s) {(violations.Count == 0 ? "OK" : "VIOLATED")}");
        foreach (var violation in violations) Console.WriteLine("  violation: " + violation);
        return violations.Count == 0 ? 0 : 4;
    }
}
