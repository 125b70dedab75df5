using System.Globalization;
using WeStore.Load;

// Usage: WeStore.Load get --url http://127.0.0.1:7071 --path /api/ping [--concurrency 16] [--requests 20000] [--seconds 20] [--warmup 500]
var options = Options.Parse(args);
if (options.Command is not "get")
{
    Console.Error.WriteLine("usage: WeStore.Load get --url URL --path PATH [--concurrency N] [--requests N] [--seconds N] [--warmup N]");
    return 2;
}

using var client = LoadRunner.CreateClient(options.Url, options.Concurrency);
async Task<int> Get(int _, CancellationToken ct)
{
    using var response = await client.GetAsync(options.Path, ct);
    await response.Content.CopyToAsync(Stream.Null, ct);
    return (int)response.StatusCode;
}

if (options.Warmup > 0)
{
    await LoadRunner.RunAsync("warmup", options.Concurrency, options.Warmup, TimeSpan.FromSeconds(30), Get);
}

var result = await LoadRunner.RunAsync($"GET {options.Path}", options.Concurrency, options.Requests, TimeSpan.FromSeconds(options.Seconds), Get);
Console.WriteLine(result);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rps={result.RequestsPerSecond:0.0} p50={result.P50:0.000} p99={result.P99:0.000}"));
return result.Statuses.Keys.All(s => s is >= 200 and < 300) ? 0 : 1;

internal sealed record Options(string Command, string Url, string Path, int Concurrency, int Requests, int Seconds, int Warmup)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(args.FirstOrDefault() ?? string.Empty, Get("url", "http://127.0.0.1:7071"), Get("path", "/api/health"),
            Int("concurrency", 16), Int("requests", 20000), Int("seconds", 20), Int("warmup", 500));
    }
}
