using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WeStore.Load;

/// <summary>
/// A group-buy flash: <c>teams</c> teams of 3 are opened by their leaders (setup), then <c>joiners</c> members join at
/// once, each trying up to four teams until seated or refused. Measured: joins per second and the host's storage
/// requests per join attempt (the order path included). Then every seat is paid except one in each fifth team, the
/// store's and WeChat's clocks move past the deadline, and the teams end: won, or failed with their paid seats
/// refunded (WeChat Pay's side finishes each refund the store asks for). Measured: storage requests per failed team
/// from the deadline to settled, the load tool's own reads subtracted. Over-filled teams are counted from each team.
/// </summary>
public sealed class GroupBuyFlash(HttpClient store, HttpClient sandbox, StoreApi api, string masterKey, string? storage, string run)
{
    private const int TeamSize = 3;

    public async Task<string> RunAsync(int teams, int joiners, int concurrency)
    {
        var sku = $"gb-{run}";
        await api.ImportSkuAsync($"gbp-{run}", sku, 1000, (teams * TeamSize) + joiners, 16);
        var now = (await Admin(HttpMethod.Post, "/admin/clock?advanceHours=0")).GetProperty("now").GetDateTimeOffset();
        var groupBuy = (await Admin(HttpMethod.Post, "/api/manage/group-buys", new
        {
            skuId = sku, groupPrice = 700, teamSize = TeamSize, teamHours = 1, startsAt = now.AddHours(-1), endsAt = now.AddDays(7), perMemberLimit = 1,
        })).GetProperty("id").GetString()!;

        var leaders = new string[teams];
        var members = new string[joiners];
        await LoadRunner.RunAsync("logins", concurrency, teams + joiners, TimeSpan.FromMinutes(10), async (n, ct) =>
        {
            var token = await api.LoginAsync($"gb{run}m{n}.1", ct);
            if (n < teams) leaders[n] = token;
            else members[n - teams] = token;
            return 200;
        });

        var teamIds = new string[teams];
        var seats = new ConcurrentDictionary<string, ConcurrentBag<string>>(StringComparer.Ordinal);
        await LoadRunner.RunAsync("open", concurrency, teams, TimeSpan.FromMinutes(10), async (n, ct) =>
        {
            var (status, body) = await SeatAsync(leaders[n], $"/api/group-buys/{groupBuy}/teams", "open", ct);
            if (status != 201) throw new InvalidOperationException($"opening a team answered {status}: {body}");
            teamIds[n] = body.GetProperty("teamId").GetString()!;
            seats.GetOrAdd(teamIds[n], _ => []).Add(body.GetProperty("orderNo").GetString()!);
            return status;
        });

        // The background the host keeps up meanwhile (its consumers, the teams' capped timeout wake-ups), measured idle and subtracted.
        var background = await IdleRateAsync(["member-facts"]);

        // The flash: every joiner at once, c=concurrency.
        var before = await api.StatsAsync();
        var attempts = 0;
        var refused = 0;
        var statuses = new ConcurrentDictionary<int, int>();
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, joiners), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (n, ct) =>
        {
            for (var attempt = 0; attempt < 4; attempt++)
            {
                var teamId = teamIds[(int)((uint)HashCode.Combine(run, n, attempt) % (uint)teams)];
                var started = Stopwatch.GetTimestamp();
                var (status, body) = await SeatAsync(members[n], $"/api/teams/{teamId}/join", "join-" + attempt, ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref attempts);
                statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                if (status == 201)
                {
                    seats.GetOrAdd(teamId, _ => []).Add(body.GetProperty("orderNo").GetString()!);
                    return;
                }

                if (status != 409 || body.GetRawText().Contains("group_buy_limit_reached", StringComparison.Ordinal)) break;
            }

            Interlocked.Increment(ref refused);
        });
        var flashSeconds = clock.Elapsed.TotalSeconds;
        var afterFlash = await api.StatsAsync();
        var seated = seats.Values.Sum(s => s.Count) - teams;

        // Payments: every seat, but the last seat of every fifth full team stays unpaid, so that team fails.
        var toPay = new List<string>();
        for (var t = 0; t < teams; t++)
        {
            var orders = seats[teamIds[t]].OrderBy(o => o, StringComparer.Ordinal).ToList();
            toPay.AddRange(t % 5 == 0 && orders.Count == TeamSize ? orders.Skip(1) : orders);
        }

        var pay = new SandboxPay(sandbox);
        await LoadRunner.RunAsync("pay", 16, toPay.Count, TimeSpan.FromMinutes(10), (n, ct) => pay.PayAsync(toPay[n], ct));
        var expectWon = Enumerable.Range(0, teams).Count(t => t % 5 != 0 && seats[teamIds[t]].Count == TeamSize);
        var views = await WaitAsync(teamIds, v => v.Count(t => t.GetProperty("status").GetString() == "won") >= expectWon, TimeSpan.FromMinutes(3));

        // The deadline passes: the timeouts fail what is not won; WeChat Pay finishes the refunds asked for. Every team's
        // timeout runs once from here (the won ones find themselves won: one read); all of it is counted.
        if (storage is not null) await QueueDrain.WaitAsync(storage, ["order-paid", "member-facts", "refund-follow"], TimeSpan.FromMinutes(3));
        var beforeTimeout = await api.StatsAsync();
        var polls = 0L;
        await Admin(HttpMethod.Post, "/admin/clock?advanceHours=2");
        (await sandbox.PostAsync("/sandbox/clock?advanceHours=2", null)).EnsureSuccessStatusCode();
        var settled = new HashSet<string>(StringComparer.Ordinal);
        var refundsAsked = new HashSet<string>(StringComparer.Ordinal);
        var notWon = views.Where(v => v.GetProperty("status").GetString() != "won").Select(v => v.GetProperty("teamId").GetString()!).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (settled.Count < notWon.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            foreach (var teamId in notWon.Where(t => !settled.Contains(t)))
            {
                var team = await Admin(HttpMethod.Get, $"/api/manage/teams/{teamId}");
                polls++;
                if (team.GetProperty("settled").GetBoolean() && team.GetProperty("team").GetProperty("status").GetString() == "failed")
                {
                    settled.Add(teamId);
                    continue;
                }

                foreach (var seat in team.GetProperty("seats").EnumerateArray().Where(s => s.GetProperty("refund").GetString() == "pending"))
                {
                    var orderNo = seat.GetProperty("orderNo").GetString()!;
                    if (refundsAsked.Add(orderNo)) await pay.CompleteRefundAsync(orderNo, orderNo + "-FULL", CancellationToken.None);
                }
            }
        }

        var afterTimeout = await api.StatsAsync();
        views = await WaitAsync(teamIds, _ => true, TimeSpan.FromSeconds(1));
        var won = views.Count(v => v.GetProperty("status").GetString() == "won");
        var failed = views.Count(v => v.GetProperty("status").GetString() == "failed");
        var overFilled = views.Count(v => v.GetProperty("seatsTaken").GetInt32() > TeamSize);
        var sorted = latencies.OrderBy(l => l).ToList();
        var flashRequests = afterFlash!.StorageRequests - before!.StorageRequests - (background * flashSeconds);
        var perAttempt = flashRequests / attempts;
        var timeoutRequests = afterTimeout!.StorageRequests - beforeTimeout!.StorageRequests - polls;
        var perFailed = notWon.Count == 0 ? 0 : (timeoutRequests - (teams - notWon.Count)) / (double)notWon.Count;
        return string.Create(CultureInfo.InvariantCulture,
            $"teams={teams} joiners={joiners} seated={seated} refused={refused} attempts={attempts} won={won} failed={failed} over_filled={overFilled} settled={settled.Count} "
            + $"refunds={refundsAsked.Count} joins_per_second={joiners / flashSeconds:0.0} attempts_per_second={attempts / flashSeconds:0.0} "
            + $"p50={sorted[sorted.Count / 2]:0.0} p99={sorted[(int)(sorted.Count * 0.99)]:0.0} storage_per_attempt={perAttempt:0.00} "
            + $"storage_per_seat={flashRequests / Math.Max(1, seated):0.00} background_per_second={background:0.0} "
            + $"timeout_requests_per_team={timeoutRequests / (double)teams:0.0} timeout_requests_per_failed_team={perFailed:0.0} "
            + $"statuses={string.Join('/', statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}"))}");
    }

    /// <summary>The host's storage requests per second with no load, once <paramref name="queues"/> have drained.</summary>
    private async Task<double> IdleRateAsync(IReadOnlyList<string> queues)
    {
        if (storage is not null) await QueueDrain.WaitAsync(storage, queues, TimeSpan.FromMinutes(3));
        var first = await api.StatsAsync();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var second = await api.StatsAsync();
        return (second!.StorageRequests - first!.StorageRequests) / clock.Elapsed.TotalSeconds;
    }

    private async Task<List<JsonElement>> WaitAsync(string[] teamIds, Func<List<JsonElement>, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var views = new ConcurrentBag<JsonElement>();
            await Parallel.ForEachAsync(teamIds, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) => views.Add(await store.GetFromJsonAsync<JsonElement>($"/api/teams/{id}", ct)));
            var list = views.ToList();
            if (done(list) || DateTime.UtcNow > deadline) return list;
            await Task.Delay(500);
        }
    }

    private async Task<(int Status, JsonElement Body)> SeatAsync(string token, string path, string key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent($$"""{"address":{{StoreApi.Address}}}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await store.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> Admin(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("x-functions-key", masterKey);
        using var response = await store.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
