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
        builder.Services.AddSingleton<SandboxClock>();
        builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<SandboxClock>());
        builder.Services.AddSingleton<SandboxState>();
        builder.Services.AddSingleton<SandboxKeys>();
        builder.Services.AddSingleton<PayState>();
        builder.Services.AddSingleton<ShippingState>();
        builder.Services.AddSingleton<BillState>();
        builder.Services.AddSingleton<PushSender>();
        builder.Services.AddSingleton<WeComState>();
        builder.Services.AddSingleton<OfficialAccountState>();
        builder.Services.AddHttpClient("notify");
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        // Keys are made (or loaded) before the first request, so run.sh can read them as soon as the port opens.
        app.Services.GetRequiredService<SandboxKeys>();
        MiniProgramApi.Map(app);
        PayApi.Map(app);
        PayApi.MapRefunds(app);
        PayApi.MapBills(app);
        ShopperApi.Map(app);
        ShippingApi.Map(app);
        WeComApi.Map(app);
        OfficialAccountApi.Map(app);
        SandboxClock.Map(app);
        return app;
    }
}
