using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WeStore.Load;

// Bounded load against a running store (loopback only). Commands:
//   get    --url URL --path PATH                  a plain GET
//   login  --url URL --key MASTERKEY [--returning] POST /api/auth/login with new (or returning) shoppers' codes
// Common: [--concurrency N] [--requests N] [--seconds N] [--warmup N]
var options = Options.Parse(args);
using var client = LoadRunner.CreateClient(options.Url, options.Concurrency);
var run = Guid.NewGuid().ToString("N")[..8];

Func<int, CancellationToken, Task<int>>? send = options.Command switch
{
    "get" => async (_, ct) =>
    {
        using var response = await client.GetAsync(options.Path, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    },
    // New shoppers get a fresh code stem each time; returning ones cycle through a pool seen in the warm-up.
    "login" => async (n, ct) =>
    {
        var stem = options.Returning ? $"load{run}r{n % 200}" : $"load{run}n{n}";
        using var content = new StringContent($$"""{"code":"{{stem}}.{{n}}"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/auth/login", content, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    },
    _ => null,
};
if (send is null)
{
    Console.Error.WriteLine("usage: WeStore.Load get|login --url URL [--path PATH] [--key MASTERKEY] [--returning] [--concurrency N] [--requests N] [--seconds N] [--warmup N]");
    return 2;
}

if (options.Warmup > 0)
{
    // The warm-up uses other request numbers, so "new" shoppers in the measured run are really new.
    await LoadRunner.RunAsync("warmup", options.Concurrency, options.Warmup, TimeSpan.FromSeconds(60),
        (n, ct) => send(options.Returning ? n : n + 100_000_000, ct));
}

var before = await StorageRequestsAsync();
var result = await LoadRunner.RunAsync($"{options.Command} {(options.Command == "get" ? options.Path : options.Returning ? "returning" : "new")}",
    options.Concurrency, options.Requests, TimeSpan.FromSeconds(options.Seconds), send);
var after = await StorageRequestsAsync();

Console.WriteLine(result);
var perRequest = before is null || after is null ? "n/a" : ((double)(after.Value - before.Value) / result.Requests).ToString("0.00", CultureInfo.InvariantCulture);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rps={result.RequestsPerSecond:0.0} p50={result.P50:0.000} p99={result.P99:0.000} storage_per_request={perRequest}"));
return result.Statuses.Keys.All(s => s is >= 200 and < 300) ? 0 : 1;

async Task<long?> StorageRequestsAsync()
{
    if (options.Key is null) return null;
    using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/host/storage-requests");
    request.Headers.Add("x-functions-key", options.Key);
    using var response = await client.SendAsync(request);
    if (!response.IsSuccessStatusCode) return null;
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt64();
}

internal sealed record Options(string Command, string Url, string Path, string? Key, bool Returning, int Concurrency, int Requests, int Seconds, int Warmup)
{
    public static Options Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(args.FirstOrDefault() ?? string.Empty, Get("url") ?? "http://127.0.0.1:7071", Get("path") ?? "/api/health",
            Get("key"), args.Contains("--returning"), Int("concurrency", 16), Int("requests", 20000), Int("seconds", 20), Int("warmup", 500));
    }
}
