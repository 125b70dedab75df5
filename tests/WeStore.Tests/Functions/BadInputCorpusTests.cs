using System.Net;
using System.Text;
using System.Text.Json;
using WeStore.Functions;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions;

/// <summary>
/// For every route in the API description, a generated corpus of malformed, oversized, wrongly typed, boundary and
/// hostile requests, and missing or forged credentials: each gets a 4xx problem+json, never a 5xx, and the storage
/// request counter shows that nothing was written.
/// </summary>
public sealed class BadInputCorpusTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private const string ForgedToken = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJvQUJDIiwiZXhwIjo0MTAyNDQ0ODAwfQ.";

    /// <param name="WeChatPayProtocol">WeChat Pay's notify routes answer in WeChat Pay's own shape, {"code":"FAIL","message":...}.</param>
    private sealed record Case(string Operation, HttpRequestMessage Request, bool WeChatPayProtocol = false);

    [Fact]
    public async Task EveryRoute_Corpus_4xxProblemJson_No5xx_NothingWritten()
    {
        var store = shared.Store;
        var token = await store.LoginAsync(TestData.NewId("corpus"));
        var document = LoadDocument();
        var cases = BuildCorpus(document, token).ToList();
        // Warm-up: every table and queue the app touches exists before counting (creating one is a write).
        await store.ImportSkusAsync(TestData.NewId("p"), (TestData.NewId("sku"), 100, 1, 1));
        await AttributionData.ScanAsync(store, token, "warmup");
        var counter = store.Service<StorageRequestCounter>();
        var writesBefore = counter.Writes;

        var failures = new List<string>();
        foreach (var c in cases)
        {
            using var response = await store.Client.SendAsync(c.Request);
            var status = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            var text = await response.Content.ReadAsStringAsync();
            var shapeOk = c.WeChatPayProtocol ? type == "application/json" && text.Contains("\"code\":\"FAIL\"", StringComparison.Ordinal) : type == "application/problem+json";
            if (status is < 400 or >= 500 || !shapeOk)
            {
                failures.Add($"{c.Operation}: {status} {type} {Truncate(text)}");
            }
        }

        Assert.True(cases.Count > 500, $"only {cases.Count} cases");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join('\n', failures.Take(40)));
        Assert.Equal(0, counter.Writes - writesBefore);
    }

    private static JsonElement LoadDocument()
    {
        using var stream = typeof(WeStoreServiceCollectionExtensions).Assembly.GetManifestResourceStream("WeStore.Functions.openapi.json")!;
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    private static IEnumerable<Case> BuildCorpus(JsonElement document, string token)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var name = $"{operation.Name} {path.Name}";
                var url = path.Name.Replace("{sceneId}", "q-corpus", StringComparison.Ordinal).Replace("{orderNo}", "NOSUCHORDER0000000000000000", StringComparison.Ordinal)
                    .Replace("{productId}", "nosuchproduct", StringComparison.Ordinal).Replace("{campaignId}", "nosuchcampaign", StringComparison.Ordinal)
                    .Replace("{afterSaleId}", "ASNOSUCHREQUEST000000000", StringComparison.Ordinal).Replace("{day}", "2026-13-45", StringComparison.Ordinal).Replace("{state}", "cwnosuchway", StringComparison.Ordinal)
                    .Replace("{id}", "sg0000000000000000", StringComparison.Ordinal).Replace("{teamId}", "tm00000000000000000000", StringComparison.Ordinal);
                var security = operation.Value.GetProperty("security").EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)).FirstOrDefault();
                if (security is null) continue; // public reads (health, catalog, this document) take no input that could write

                // Credentials: missing, forged, wrong scheme.
                foreach (var (label, auth) in new (string, Action<HttpRequestMessage>)[]
                {
                    ("no credentials", _ => { }),
                    ("forged token", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + ForgedToken)),
                    ("garbage token", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('x', 5000))),
                    ("basic auth", r => r.Headers.TryAddWithoutValidation("Authorization", "Basic YWRtaW46YWRtaW4=")),
                    ("wrong function key", r => r.Headers.TryAddWithoutValidation("x-functions-key", "not-the-key")),
                })
                {
                    if (security == "wechatPaySignature") continue; // covered by the body corpus below (every body is unsigned)
                    var request = new HttpRequestMessage(method, url) { Content = method == HttpMethod.Get ? null : Json("{}") };
                    auth(request);
                    yield return new Case($"{name} [{label}]", request);
                }

                // Bodies: everything below is invalid whatever the route.
                if (operation.Value.TryGetProperty("requestBody", out var body) || security == "wechatPaySignature")
                {
                    var json = body.ValueKind == JsonValueKind.Object && body.GetProperty("content").TryGetProperty("application/json", out var j) ? j : default;
                    var csv = body.ValueKind == JsonValueKind.Object && body.GetProperty("content").TryGetProperty("text/csv", out _);
                    var schema = json.ValueKind == JsonValueKind.Object ? Resolve(schemas, json.GetProperty("schema")) : default;
                    foreach (var (label, content) in csv ? CsvBodies() : Bodies(schemas, schema))
                    {
                        var request = new HttpRequestMessage(method, url) { Content = content };
                        Authorize(request, security, token);
                        if (security == "wechatPaySignature")
                        {
                            // Plausible WeChat Pay headers around an unsigned or garbage body.
                            request.Headers.TryAddWithoutValidation("Wechatpay-Serial", "PUB_KEY_ID_0000000000000000000000000000");
                            request.Headers.TryAddWithoutValidation("Wechatpay-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                            request.Headers.TryAddWithoutValidation("Wechatpay-Nonce", "corpus");
                            request.Headers.TryAddWithoutValidation("Wechatpay-Signature", Convert.ToBase64String(new byte[256]));
                        }

                        yield return new Case($"{name} [{label}]", request, security == "wechatPaySignature");
                    }
                }

                // Query parameters: wrongly typed, out of range, hostile, repeated.
                if (operation.Value.TryGetProperty("parameters", out var parameters))
                {
                    foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
                    {
                        var p = parameter.GetProperty("name").GetString()!;
                        var type = parameter.GetProperty("schema").TryGetProperty("type", out var t) ? t.GetString() : "string";
                        var format = parameter.GetProperty("schema").TryGetProperty("format", out var f) ? f.GetString() : null;
                        var values = type == "integer" ? new[] { "-1", "0", "abc", "1e3", "99999999999999999999", "1.5", "%00" }
                            : format == "date" ? ["2026-13-01", "2026-02-30", "tomorrow", "0000-00-00", "2026-01-01' or '1'='1", "99999-01-01"]
                            : p == "groupBy" ? ["sku", "CHANNEL", "channel'"] : [];
                        foreach (var value in values)
                        {
                            var request = new HttpRequestMessage(method, $"{url}?{p}={Uri.EscapeDataString(value)}") { Content = method == HttpMethod.Get ? null : Json("{}") };
                            Authorize(request, security, token);
                            yield return new Case($"{name} [{p}={value}]", request);
                        }

                        if (values.Length > 0)
                        {
                            var repeated = new HttpRequestMessage(method, $"{url}?{p}={values[0]}&{p}={values[1]}") { Content = method == HttpMethod.Get ? null : Json("{}") };
                            Authorize(repeated, security, token);
                            yield return new Case($"{name} [{p} twice]", repeated);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Bodies no route accepts: malformed JSON, wrong roots, wrong content types, oversize, and each property wrongly typed or out of range.</summary>
    private static IEnumerable<(string, HttpContent)> Bodies(JsonElement schemas, JsonElement schema)
    {
        yield return ("empty", Json(""));
        yield return ("truncated", Json("{\"a\":"));
        yield return ("not json", Json("code=abc&x=1"));
        yield return ("null", Json("null"));
        yield return ("array root", Json("[]"));
        yield return ("string root", Json("\"x\""));
        yield return ("number root", Json("1e999"));
        yield return ("deep nesting", Json(new string('[', 3000) + new string(']', 3000)));
        yield return ("trailing garbage", Json("{} {}"));
        yield return ("comment", Json("{/* hi */}"));
        yield return ("invalid utf-8", new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]) { Headers = { ContentType = new("application/json") } });
        yield return ("over 64 KiB", Json("{\"x\":\"" + new string('a', 70_000) + "\"}"));
        yield return ("text/plain", new StringContent("{}", Encoding.UTF8, "text/plain"));
        yield return ("xml", new StringContent("<a/>", Encoding.UTF8, "application/xml"));
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties)) yield break;

        foreach (var property in properties.EnumerateObject())
        {
            var p = Resolve(schemas, property.Value);
            var type = p.TryGetProperty("type", out var t) ? t.GetString() : "object";
            var wrong = type switch
            {
                "string" => new[] { "123", "{}", "[]", "true", "\"\\ud800\"", "\"\\u0000\"", "\"" + new string('字', 40_000) + "\"" },
                "integer" => ["\"5\"", "1.5", "-1", "1e30", "99999999999999999999999", "true", "{}", "-9223372036854775809"],
                "boolean" => ["\"true\"", "1", "{}"],
                "array" => ["{}", "\"x\"", "[" + string.Join(',', Enumerable.Repeat("{}", 2000)) + "]"],
                _ => ["[]", "\"x\"", "1"],
            };
            foreach (var value in wrong)
            {
                // The property twice, the first time plausible: a reader must not keep a half-validated value.
                yield return ($"{property.Name}={Truncate(value)}", Json($"{{\"{property.Name}\":{value}}}"));
                yield return ($"{property.Name} duplicated={Truncate(value)}", Json($"{{\"{property.Name}\":null,\"{property.Name}\":{value}}}"));
            }
        }
    }

    /// <summary>Files no shipment import accepts: the wrong media type, empty, oversize, too many lines, or not one readable line.</summary>
    private static IEnumerable<(string, HttpContent)> CsvBodies()
    {
        static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");
        yield return ("json", Json("{}"));
        yield return ("text/plain", new StringContent("WS1,YTO,1", Encoding.UTF8, "text/plain"));
        yield return ("empty", Csv(""));
        yield return ("blank lines", Csv("\n\r\n\n"));
        yield return ("header only", Csv("orderNo,expressCompany,trackingNo\n"));
        yield return ("over 1 MiB", Csv(new string('x', 1024 * 1024 + 1)));
        yield return ("5001 lines", Csv(string.Concat(Enumerable.Repeat("WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,YT1\n", 5001))));
        yield return ("binary", new ByteArrayContent([0x00, 0xFF, 0xFE, 0x0A, 0x1B, 0x5B]) { Headers = { ContentType = new("text/csv") } });
        yield return ("formula injection", Csv("=HYPERLINK(\"http://x\"),YTO,YT1\n+1,SF,SF1\n"));
        yield return ("unterminated quote", Csv("\"WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,YT1\n"));
        yield return ("wrong field count", Csv("WSAAAAAAAAAAAAAAAAAAAAAAAA,YTO\nWSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,YT1,a\n"));
        yield return ("hostile fields", Csv("WSAAAAAAAAAAAAAAAAAAAAAAAA,../../etc,YT1\nWSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,<script>\nWSAAAAAAAAAAAAAAAAAAAAAAAA,YTO,YT1,sku,-5\n"));
    }

    private static JsonElement Resolve(JsonElement schemas, JsonElement schema)
        => schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var r) ? schemas.GetProperty(r.GetString()!.Split('/')[^1]) : schema;

    private static void Authorize(HttpRequestMessage request, string security, string token)
    {
        if (security == "member") request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (security == "operator") request.Headers.TryAddWithoutValidation("x-functions-key", RunningHost.MasterKey);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "corpus-" + Guid.NewGuid().ToString("N")[..8]);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Truncate(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
