using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Functions;
using WeStore.LocalHost;
using WeStore.Storage;

try
{
    // "--app path/to/App.dll" hosts another function app (benchmarks use a trivial one); by default, WeStore.
    var appIndex = Array.IndexOf(args, "--app");
    var appAssembly = appIndex >= 0 && appIndex + 1 < args.Length
        ? Assembly.LoadFrom(Path.GetFullPath(args[appIndex + 1]))
        : typeof(WeStoreServiceCollectionExtensions).Assembly;
    var isWeStore = appAssembly == typeof(WeStoreServiceCollectionExtensions).Assembly;

    var app = await LocalFunctionHost.BuildAsync(new LocalHostOptions
    {
        AppAssembly = appAssembly,
        ConfigureApp = isWeStore
            ? (services, configuration) =>
            {
                // The demo's "a year later": the app's clock runs ahead by this many days, and moves on when the demo
                // says (POST /admin/clock). Local host only; the host's own machinery keeps the wall clock.
                _ = int.TryParse(Environment.GetEnvironmentVariable("WESTORE_CLOCK_OFFSET_DAYS"), out var days);
                services.AddSingleton(new AdjustableClock(TimeSpan.FromDays(days)));
                services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<AdjustableClock>());

                services.AddWeStore(configuration);
            }
            : (services, configuration) => services.AddWeStoreStorage(configuration),
        Url = Environment.GetEnvironmentVariable("WESTORE_HOST_URL") ?? LocalHostOptions.DefaultUrl,
        Args = appIndex >= 0 ? [.. args.Where((_, i) => i != appIndex && i != appIndex + 1)] : args,
    });
    await app.RunAsync();
    return 0;
}
catch (FunctionHostStartupException e)
{
    Console.Error.WriteLine($"The local host refused to start: {e.Message}");
    return 2;
}

// Stops .NET 10 from generating a public Program, which clashes (CS0433) in projects that reference two executables.
internal partial class Program;
