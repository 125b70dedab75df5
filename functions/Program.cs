using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WeStore.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddWeStore(builder.Configuration);
builder.Build().Run();

// Stops .NET 10 from generating a public Program, which clashes (CS0433) in projects that reference two executables.
internal partial class Program;
