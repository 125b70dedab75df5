var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(Environment.GetEnvironmentVariable("WESTORE_HOST_URL") ?? "http://127.0.0.1:7171");
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
app.MapGet("/api/ping", () => Results.Ok(new { pong = true }));
app.Run();

internal partial class Program;
