using WeStore.Sandbox;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
var options = new SandboxOptions();
configuration.GetSection("Sandbox").Bind(options);
if (string.IsNullOrEmpty(options.AppSecret))
{
    Console.Error.WriteLine("The sandbox needs Sandbox__AppId and Sandbox__AppSecret (the same values as the store's WeChat__AppId / WeChat__AppSecret).");
    return 2;
}

var app = SandboxApp.Build(options, args);
app.Logger.LogInformation("WeChat sandbox for {AppId} at {Url}", options.AppId, options.Url);
await app.RunAsync();
return 0;

internal partial class Program;
