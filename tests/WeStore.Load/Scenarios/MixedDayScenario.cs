using System.Collections.Concurrent;

namespace WeStore.Load.Scenarios;

/// <summary>
/// A mixed day: each request is one new shopper's visit: login, a scan of the day's QR code, browsing, a coupon claim
/// (every other shopper; the campaign runs out), an order of one or two of three SKUs (stock runs out too), then by
/// turn: pay (6 in 10), cancel (1), leave it to time out (2, with the host's payment window at its 1-minute minimum),
/// or pay and be refunded in full (1). Statuses are counted per step; a step answered anything but its expected
/// statuses (sold out and out of stock are expected: 409) after its retries makes the visit count as failed.
/// </summary>
public sealed class MixedDayScenario(StoreApi api, SandboxPay pay, string run)
{
    private readonly ConcurrentDictionary<(string Step, int Status), int> _statuses = new();
    private readonly ConcurrentBag<(string Token, string OrderNo, string Expected)> _outcomes = [];
    private string[] _skus = [];
    private string[] _products = [];
    private string _campaign = string.Empty;
    private string _scene = string.Empty;

    public IReadOnlyList<string> Skus => _skus;

    public string Campaign => _campaign;

    public async Task SetupAsync(int visits)
    {
        _products = [.. Enumerable.Range(0, 3).Select(i => $"mixp-{run}-{i}")];
        _skus = [.. Enumerable.Range(0, 3).Select(i => $"mix-{run}-{i}")];
        long[] prices = [1990, 5990, 12900];
        for (var i = 0; i < 3; i++) await Retry.UntilAsync(() => api.ImportSkuAsync(_products[i], _skus[i], prices[i], Math.Max(10, visits / 3), 4));
        _campaign = await Retry.UntilAsync(() => api.CreateCampaignAsync(Math.Max(5, visits / 4), 1));
        _scene = await Retry.UntilAsync(() => api.CreateQrCodeAsync("live"));
    }

    public async Task<int> VisitAsync(int n, CancellationToken ct)
    {
        var failed = 0;
        // A step answered 5xx, not at all, or "request in progress" is retried as the Mini Program or WeChat Pay would,
        // for up to 60 s; every answer is counted. A visit fails if a step ends with a status other than those expected.
        async Task<(int Status, T? Value)> Step<T>(string step, Func<int, Task<(int Status, T? Value)>> call, params int[] expected)
        {
            (int Status, T? Value) result = (0, default);
            for (var attempt = 1; attempt <= 60; attempt++)
            {
                try
                {
                    result = await call(attempt);
                }
                catch (HttpRequestException e)
                {
                    result = ((int?)e.StatusCode ?? 0, default);
                }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                {
                    result = (0, default); // the client's timeout: no answer
                }

                _statuses.AddOrUpdate((step, result.Status), 1, (_, c) => c + 1);
                if (result.Status is > 0 and < 500) break; // 0: no answer; StoreApi.InProgress: the key's first attempt is unfinished
                await Task.Delay(1000, ct);
            }

            if (!expected.Contains(result.Status) && failed == 0) failed = result.Status == 0 ? 599 : result.Status;
            return result;
        }

        static async Task<(int, bool)> Plain(Task<int> call) => (await call, true);

        // A code is used once at WeChat: a retried login asks wx.login for a new one (same member).
        var (_, token) = await Step("login", async attempt => (200, await api.LoginAsync($"mix{run}v{n}.{attempt}", ct)), 200);
        if (token is null) return failed;

        await Step("scan", _ => Plain(api.ScanAsync(token, _scene, ct)), 200, 201, 202);
        await Step("browse", _ => Plain(api.GetAsync("/api/catalog/products", null, ct)), 200);
        await Step("product", _ => Plain(api.GetAsync($"/api/catalog/products/{_products[n % 3]}", null, ct)), 200);
        string? coupon = null;
        if (n % 2 == 0) (_, coupon) = await Step("claim", _ => api.ClaimForCouponAsync(token, _campaign, ct), 201, 409);

        var items = n % 4 == 0 ? new[] { (_skus[n % 3], 1), (_skus[(n + 1) % 3], 1) } : [(_skus[n % 3], 1 + (n % 2))];
        var (placed, orderNo) = await Step("order", _ => api.PlaceAsync(token, $"mix-{n}", items, coupon, ct), 201, 409);
        if (orderNo is null) return failed == 0 ? 200 : failed;

        // WeChat Pay delivers a notification until the store answers 204.
        async Task<bool> PayAsync() => (await Step("pay", _ => Plain(pay.PayAsync(orderNo, ct)), 204)).Status == 204;
        switch (n % 10)
        {
            case < 6:
                if (await PayAsync()) _outcomes.Add((token, orderNo, "paid"));
                await Step("points", _ => Plain(api.GetAsync("/api/me/points", token, ct)), 200);
                break;
            case 6:
                if ((await Step("cancel", _ => Plain(api.CancelAsync(token, orderNo, ct)), 200)).Status == 200) _outcomes.Add((token, orderNo, "cancelled"));
                break;
            case < 9:
                _outcomes.Add((token, orderNo, "closed"));
                break;
            default:
                if (!await PayAsync()) break;
                var (_, outRefundNo) = await Step("refund", _ => api.RefundAsync(orderNo, ct), 200);
                if (outRefundNo is not null && (await Step("refund-notify", _ => Plain(pay.CompleteRefundAsync(orderNo, outRefundNo, ct)), 204)).Status == 204)
                {
                    _outcomes.Add((token, orderNo, "refunded"));
                }

                break;
        }

        await Step("my-orders", _ => Plain(api.GetAsync("/api/orders", token, ct)), 200);
        return failed == 0 ? 200 : failed;
    }

    /// <summary>Waits (bounded by <paramref name="limit"/>: unpaid orders close after the payment window) for every order
    /// to reach the state its shopper's turn leads to, then prints the statuses per step; 0 if all held, 3 if not.</summary>
    public async Task<int> FinishAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var wrong = new List<string>();
        do
        {
            wrong.Clear();
            foreach (var (token, orderNo, expected) in _outcomes)
            {
                var status = await api.OrderStatusAsync(token, orderNo);
                if (status != expected) wrong.Add($"{orderNo} is {status ?? "unreadable"}, expected {expected}");
            }

            if (wrong.Count > 0) await Task.Delay(2000);
        }
        while (wrong.Count > 0 && DateTime.UtcNow < deadline);

        Console.WriteLine("mixed: " + string.Join("; ", _statuses.GroupBy(s => s.Key.Step).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} " + string.Join(" ", g.OrderBy(s => s.Key.Status).Select(s => $"{s.Key.Status}x{s.Value}")))));
        var byOutcome = string.Join(", ", _outcomes.GroupBy(o => o.Expected).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
        Console.WriteLine($"mixed: orders {byOutcome}; {wrong.Count} not in their expected state {(wrong.Count == 0 ? "OK" : "VIOLATED")}");
        foreach (var line in wrong.Take(20)) Console.WriteLine("  " + line);
        return wrong.Count == 0 ? 0 : 3;
    }
}
