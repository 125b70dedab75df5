namespace WeStore.Sandbox;

public static class SandboxApp
{
    /// <summary>Builds the sandbox; Program.cs runs it, and tests start it in-process on a free port.</summary>
    public static WebApplication Build(SandboxOptions options, string[]? args = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SandboxState>();
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        MiniProgramApi.Map(app);
        return app;
    }
}
