namespace WeStore.Load.Scenarios;

/// <summary>
/// A notification storm: for each order, the shopper pays at the sandbox (WeChat Pay's first delivery), then the same
/// notification is delivered three more times at once, each copy retried until the store answers 204 as WeChat Pay
/// retries, and a forged copy (signed with a key WeChat Pay never had) is mixed in. Run it with storage faults on in
/// the host (<c>Storage__Faults__*</c>). Every order must end paid, once; every forgery refused.
/// </summary>
public sealed class StormScenario(StoreApi api, SandboxPay pay, NotifyScenario orders)
{
    private int _deliveries;
    private int _retried;
    private int _forgedRefused;
    private int _forgedAccepted;
    private int _unaccepted;

    public async Task<int> SendAsync(int n, CancellationToken ct)
    {
        var (orderNo, _, _) = orders.Orders[n];
        await pay.PayAsync(orderNo, ct);
        Interlocked.Increment(ref _deliveries);
        var copies = Enumerable.Range(0, 3).Select(_ => pay.DeliverUntilAcceptedAsync(c => pay.PayAsync(orderNo, c), 90, ct)).ToList();
        var forged = await orders.SendForgedAsync(n, ct);
        Interlocked.Increment(ref (forged is >= 400 and < 500 ? ref _forgedRefused : ref _forgedAccepted));
        var results = await Task.WhenAll(copies);
        foreach (var (status, attempts) in results)
        {
            Interlocked.Add(ref _deliveries, attempts);
            Interlocked.Add(ref _retried, attempts - 1);
            if (status != 204) Interlocked.Increment(ref _unaccepted);
        }

        return results.All(r => r.Status == 204) && forged is >= 400 and < 500 ? 204 : results.Select(r => r.Status).FirstOrDefault(s => s != 204, forged);
    }

    /// <summary>Waits (bounded) for every order to read paid, then prints the outcome; 0 if it held, 3 if not.</summary>
    public async Task<int> FinishAsync()
    {
        var paid = await api.WaitUntilPaidAsync(orders.Orders.Select(o => (orders.Tokens[o.OpenId], o.OrderNo)).ToList(), TimeSpan.FromSeconds(120));

        var ok = paid == orders.Count && _forgedAccepted == 0 && _unaccepted == 0;
        Console.WriteLine($"storm: {orders.Count} orders, {paid} paid, {_deliveries} deliveries ({_retried} answered non-204 and retried, {_unaccepted} never accepted), " +
            $"{_forgedRefused} forged refused, {_forgedAccepted} forged accepted {(ok ? "OK" : "VIOLATED")}");
        return ok ? 0 : 3;
    }
}
