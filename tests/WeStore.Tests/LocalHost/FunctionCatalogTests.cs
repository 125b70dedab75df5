using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WeStore.LocalHost;
using WeStore.LocalHost.Metadata;
using WeStore.Tests.Support;

namespace WeStore.Tests.LocalHost;

public sealed class FunctionCatalogTests : IDisposable
{
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "westore-catalog-" + Guid.NewGuid().ToString("N"));

    public FunctionCatalogTests()
    {
        var source = TestStorage.Metadata("TestFunctionAppDirectory");
        Directory.CreateDirectory(_copy);
        foreach (var file in new[] { "WeStore.TestFunctionApp.dll", "TestFunctionApp.dll", "functions.metadata", "host.json" })
        {
            var path = Path.Combine(source, file);
            if (!File.Exists(path)) continue;
            var target = Path.Combine(_copy, file);
            File.Copy(path, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(path));
        }
    }

    private static System.Reflection.Assembly App => typeof(WeStore.TestFunctionApp.Probe).Assembly;

    [Fact]
    public async Task LoadAsync_TestApp_ReportsEveryFunctionWithItsTrigger()
    {
        var functions = await FunctionCatalog.LoadAsync(App, _copy);

        var byName = functions.ToDictionary(f => f.Name);
        Assert.Equal("orders/{orderNo}", byName["GetTestOrderFunction"].Http!.Route);
        Assert.Equal("Function", byName["GetSecretFunction"].Http!.AuthLevel);
        Assert.Equal("test-always-fails", byName["FailQueueFunction"].Queue!.QueueName);
        Assert.Equal("0 0 0 1 1 *", byName["TickTimerFunction"].Timer!.Schedule);
    }

    [Fact]
    public async Task LoadAsync_MetadataFileMissesAFunction_Refused()
    {
        var path = Path.Combine(_copy, "functions.metadata");
        var file = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        file.Remove(file.First(f => f!["name"]!.GetValue<string>() == "PingFunction"));
        File.WriteAllText(path, file.ToJsonString());

        var error = await Assert.ThrowsAsync<FunctionHostStartupException>(() => FunctionCatalog.LoadAsync(App, _copy));

        Assert.Contains("PingFunction", error.Message);
        Assert.Contains("missing from functions.metadata", error.Message);
    }

    [Fact]
    public async Task LoadAsync_MetadataFileHasAnotherRoute_Refused()
    {
        var path = Path.Combine(_copy, "functions.metadata");
        File.WriteAllText(path, File.ReadAllText(path).Replace("orders/{orderNo}", "orders/{id}", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FunctionHostStartupException>(() => FunctionCatalog.LoadAsync(App, _copy));

        Assert.Contains("GetTestOrderFunction", error.Message);
    }

    [Fact]
    public async Task LoadAsync_AnotherBuildOfTheAssembly_RefusedAsStale()
    {
        // The folder's assembly is a different build (here: another assembly under the app's name).
        var dll = Directory.GetFiles(_copy, "*.dll").Single();
        File.Copy(typeof(FunctionCatalogTests).Assembly.Location, dll, overwrite: true);

        var error = await Assert.ThrowsAsync<FunctionHostStartupException>(() => FunctionCatalog.LoadAsync(App, _copy));

        Assert.Contains("stale", error.Message);
    }

    [Fact]
    public async Task BuildAsync_MetadataMissing_RefusesToStart()
    {
        File.Delete(Path.Combine(_copy, "functions.metadata"));

        await Assert.ThrowsAsync<FunctionHostStartupException>(() => LocalFunctionHost.BuildAsync(new LocalHostOptions
        {
            AppAssembly = App,
            AppDirectory = _copy,
            ConfigureApp = (_, _) => { },
            Settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" },
        }));
    }

    [Fact]
    public async Task LoadAsync_WeStoreApp_AgreesWithItsMetadataFile()
    {
        var app = typeof(WeStore.Functions.WeStoreServiceCollectionExtensions).Assembly;

        var functions = await FunctionCatalog.LoadAsync(app, Path.GetDirectoryName(app.Location)!);

        Assert.Contains(functions, f => f.Name == "GetHealthFunction" && f.Http!.Route == "health");
    }

    [Theory]
    [InlineData("admin/catalog")]
    [InlineData("Admin")]
    [InlineData("/runtime/webhooks")]
    public void CheckRouteIsAllowed_BuiltInRoute_RefusedLikeTheRealHost(string route)
        => Assert.Throws<FunctionHostStartupException>(() => FunctionCatalog.CheckRouteIsAllowed("F", route));

    [Theory]
    [InlineData("manage/catalog")]
    [InlineData("administrators")]
    [InlineData("orders/{orderNo}")]
    public void CheckRouteIsAllowed_OrdinaryRoute_Allowed(string route)
        => FunctionCatalog.CheckRouteIsAllowed("F", route);

    public void Dispose() => Directory.Delete(_copy, recursive: true);
}
