using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using WeStore.Functions;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.OpenApi;

/// <summary>The served API description and the real routes agree: each documented operation exists, and each route is documented.</summary>
public sealed class OpenApiDocumentTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    /// <summary>(method, path) of every HTTP function, read from the attributes the host reads.</summary>
    private static HashSet<string> Routes()
        => typeof(WeStoreServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Where(a => a is not null))
            .SelectMany(a => a!.Methods!.Select(method => $"{method.ToLowerInvariant()} /api/{a.Route}"))
            .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public async Task Document_ServedAndMatchesEveryRoute()
    {
        var store = shared.Store;
        var response = await store.Client.GetAsync("/api/openapi.json");
        var document = await JsonSerializer.DeserializeAsync<JsonElement>(await response.Content.ReadAsStreamAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)).Select(o => $"{o.Name} {p.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var routes = Routes();
        Assert.True(routes.Count >= 30, $"only {routes.Count} routes found");
        Assert.Empty(routes.Except(documented).Order());     // every route is documented
        Assert.Empty(documented.Except(routes).Order());     // every documented operation exists
    }

    [Fact]
    public void Document_EveryOperation_HasResponsesAndSecurityThatMatchTheRoute()
    {
        using var stream = typeof(WeStoreServiceCollectionExtensions).Assembly.GetManifestResourceStream("WeStore.Functions.openapi.json")!;
        var document = JsonDocument.Parse(stream).RootElement;
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.GetProperty("responses").EnumerateObject().Any(), $"{operation.Name} {path.Name} documents no response");
                var security = operation.Value.GetProperty("security").EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)).ToList();
                // The console's files hold no data (every figure comes from a keyed route): the one public path under manage/.
                if (path.Name.StartsWith("/api/manage/", StringComparison.Ordinal) && !path.Name.StartsWith("/api/manage/console/", StringComparison.Ordinal)) Assert.Equal(["functionKey"], security);
                foreach (var reference in FindRefs(operation.Value)) Assert.True(schemas.TryGetProperty(reference, out _), $"{path.Name}: no schema {reference}");
            }
        }
    }

    private static IEnumerable<string> FindRefs(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "$ref" ? [p.Value.GetString()!.Split('/')[^1]] : FindRefs(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(FindRefs),
        _ => [],
    };
}
