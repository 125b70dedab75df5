using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;

namespace WeStore.LocalHost.Metadata;

/// <summary>
/// The function list, taken from the metadata provider the Worker SDK generates into the app (what the worker
/// reports to the real host), and checked against the functions.metadata file written at build time.
/// </summary>
public static class FunctionCatalog
{
    public const string MetadataFileName = "functions.metadata";

    public static async Task<IReadOnlyList<FunctionDefinition>> LoadAsync(Assembly appAssembly, string appDirectory)
    {
        var generated = await ReadGeneratedMetadataAsync(appAssembly, appDirectory);
        CheckBuildIsFresh(appAssembly, appDirectory);
        CheckMetadataFileAgrees(generated, Path.Combine(appDirectory, MetadataFileName));
        return generated.Select(f => ToDefinition(appAssembly, f)).ToList();
    }

    private static async Task<IReadOnlyList<IFunctionMetadata>> ReadGeneratedMetadataAsync(Assembly appAssembly, string appDirectory)
    {
        var providerType = appAssembly.GetTypes().FirstOrDefault(t =>
            t is { IsClass: true, IsAbstract: false, Name: "GeneratedFunctionMetadataProvider" } &&
            typeof(IFunctionMetadataProvider).IsAssignableFrom(t));
        if (providerType is null)
        {
            throw new FunctionHostStartupException(
                $"{appAssembly.GetName().Name} has no generated function metadata provider. Build it with the Worker SDK and worker indexing on (FunctionsEnableWorkerIndexing).");
        }

        var provider = (IFunctionMetadataProvider)Activator.CreateInstance(providerType)!;
        var functions = await provider.GetFunctionMetadataAsync(appDirectory);
        return functions;
    }

    private static void CheckBuildIsFresh(Assembly appAssembly, string appDirectory)
    {
        var metadataPath = Path.Combine(appDirectory, MetadataFileName);
        if (!File.Exists(metadataPath))
        {
            throw new FunctionHostStartupException($"'{metadataPath}' is missing. Build the function app (dotnet build) before starting the host.");
        }

        var assemblyPath = Path.Combine(appDirectory, Path.GetFileName(appAssembly.Location));
        if (!File.Exists(assemblyPath))
        {
            throw new FunctionHostStartupException($"'{assemblyPath}' is missing from the app folder.");
        }

        // The SDK rewrites functions.metadata only when it changes, so its date says nothing. The app folder's
        // assembly must be the very build that is loaded; a file that lags behind the code is caught by comparing
        // it with what the loaded build's generated provider reports.
        if (ReadModuleVersionId(assemblyPath) != appAssembly.ManifestModule.ModuleVersionId)
        {
            throw new FunctionHostStartupException(
                $"The loaded {appAssembly.GetName().Name} is not the build in '{appDirectory}': the build is stale. Rebuild.");
        }
    }

    private static Guid ReadModuleVersionId(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var reader = new PEReader(stream);
        var metadata = reader.GetMetadataReader();
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }

    internal static void CheckMetadataFileAgrees(IReadOnlyList<IFunctionMetadata> generated, string metadataPath)
    {
        JsonArray file;
        try
        {
            file = JsonNode.Parse(File.ReadAllText(metadataPath))?.AsArray() ?? [];
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FunctionHostStartupException($"'{metadataPath}' is not valid JSON: {e.Message}");
        }

        var fromFile = file.OfType<JsonObject>().ToDictionary(
            f => f["name"]?.GetValue<string>() ?? string.Empty,
            f => (EntryPoint: f["entryPoint"]?.GetValue<string>(), Trigger: Signature(TriggerOf(f["bindings"]?.AsArray()))),
            StringComparer.Ordinal);
        var fromProvider = generated.ToDictionary(
            f => f.Name ?? string.Empty,
            f => (EntryPoint: f.EntryPoint, Trigger: Signature(TriggerOf(ParseBindings(f)))),
            StringComparer.Ordinal);

        var problems = new List<string>();
        problems.AddRange(fromProvider.Keys.Except(fromFile.Keys).Select(n => $"'{n}' is reported by the worker but missing from functions.metadata"));
        problems.AddRange(fromFile.Keys.Except(fromProvider.Keys).Select(n => $"'{n}' is in functions.metadata but not reported by the worker"));
        foreach (var (name, expected) in fromProvider)
        {
            if (fromFile.TryGetValue(name, out var actual) && actual != expected)
            {
                problems.Add($"'{name}' differs: worker says {expected.EntryPoint} {expected.Trigger}, functions.metadata says {actual.EntryPoint} {actual.Trigger}");
            }
        }

        if (problems.Count > 0)
        {
            throw new FunctionHostStartupException(
                "functions.metadata disagrees with the function app (stale build, or functions the SDK could not index):" +
                Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
        }
    }

    private static JsonArray ParseBindings(IFunctionMetadata function)
        => new((function.RawBindings ?? []).Select(b => JsonNode.Parse(b)).ToArray());

    private static JsonObject? TriggerOf(JsonArray? bindings)
        => bindings?.OfType<JsonObject>().FirstOrDefault(b =>
            (b["type"]?.GetValue<string>() ?? string.Empty).EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));

    private static string Signature(JsonObject? trigger)
    {
        if (trigger is null) return "(no trigger)";
        string Get(string name) => trigger[name] switch
        {
            JsonArray array => string.Join(',', array.Select(x => x?.GetValue<string>()?.ToLowerInvariant())),
            JsonValue value => value.ToString(),
            _ => string.Empty,
        };
        return $"{Get("type")}|{Get("name")}|{Get("route")}|{Get("methods")}|{Get("authLevel")}|{Get("queueName")}|{Get("schedule")}";
    }

    private static FunctionDefinition ToDefinition(Assembly appAssembly, IFunctionMetadata function)
    {
        var name = function.Name ?? throw new FunctionHostStartupException("A function has no name.");
        var entryPoint = function.EntryPoint ?? throw new FunctionHostStartupException($"'{name}' has no entry point.");
        var method = ResolveMethod(appAssembly, entryPoint)
            ?? throw new FunctionHostStartupException($"'{name}': entry point '{entryPoint}' was not found in {appAssembly.GetName().Name}.");
        var trigger = TriggerOf(ParseBindings(function))
            ?? throw new FunctionHostStartupException($"'{name}' has no trigger binding.");
        var type = trigger["type"]!.GetValue<string>();
        var parameterName = trigger["name"]?.GetValue<string>() ?? string.Empty;

        if (type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
        {
            CheckRouteIsAllowed(name, trigger["route"]?.GetValue<string>() ?? name);
        }

        return type.ToLowerInvariant() switch
        {
            "httptrigger" => new FunctionDefinition(name, entryPoint, method, TriggerKind.Http, parameterName,
                new HttpTriggerSettings(
                    trigger["route"]?.GetValue<string>() ?? name,
                    trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToArray() ?? [],
                    trigger["authLevel"]?.GetValue<string>() ?? "Function"),
                null, null),
            "queuetrigger" => new FunctionDefinition(name, entryPoint, method, TriggerKind.Queue, parameterName, null,
                new QueueTriggerSettings(
                    trigger["queueName"]?.GetValue<string>() ?? throw new FunctionHostStartupException($"'{name}' has no queueName."),
                    trigger["connection"]?.GetValue<string>()),
                null),
            "timertrigger" => new FunctionDefinition(name, entryPoint, method, TriggerKind.Timer, parameterName, null, null,
                new TimerTriggerSettings(
                    trigger["schedule"]?.GetValue<string>() ?? throw new FunctionHostStartupException($"'{name}' has no schedule."),
                    trigger["runOnStartup"]?.GetValue<bool>() ?? false,
                    trigger["useMonitor"]?.GetValue<bool>() ?? true)),
            _ => throw new FunctionHostStartupException($"'{name}' uses a '{type}' trigger; the local host runs HTTP, queue and timer triggers only."),
        };
    }

    /// <summary>
    /// The Functions host refuses routes that start with its built-in <c>admin</c> or <c>runtime</c> routes, whatever
    /// the route prefix ("The specified route conflicts with one or more built in routes"); so does this host.
    /// </summary>
    internal static void CheckRouteIsAllowed(string function, string route)
    {
        var first = route.TrimStart('/').Split('/')[0];
        if (first.Equals("admin", StringComparison.OrdinalIgnoreCase) || first.Equals("runtime", StringComparison.OrdinalIgnoreCase))
        {
            throw new FunctionHostStartupException($"'{function}': the route '{route}' conflicts with the host's built-in routes (admin, runtime).");
        }
    }

    private static MethodInfo? ResolveMethod(Assembly assembly, string entryPoint)
    {
        var lastDot = entryPoint.LastIndexOf('.');
        if (lastDot <= 0) return null;
        var typeName = entryPoint[..lastDot];
        var methodName = entryPoint[(lastDot + 1)..];

        // Nested classes appear with dots in entry points; reflection wants '+'.
        var type = assembly.GetType(typeName);
        for (var candidate = typeName; type is null && candidate.Contains('.');)
        {
            var i = candidate.LastIndexOf('.');
            candidate = candidate[..i] + "+" + candidate[(i + 1)..];
            type = assembly.GetType(candidate);
        }

        return type?.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .SingleOrDefault(m => m.Name == methodName);
    }
}
