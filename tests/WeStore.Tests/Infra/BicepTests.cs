using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using WeStore.Storage;
using WeStore.Testing;
using WeStore.Tests.Support;

namespace WeStore.Tests.Infra;

/// <summary>
/// infra/azure: every template builds and lints with no diagnostic at all (the CLI exits 0 on warnings, so its SARIF
/// output is read), secrets reach app settings only as Key Vault references, and the storage settings the template
/// writes are read by the app as the host reads them.
/// </summary>
public sealed class BicepTests
{
    private static readonly string InfraDirectory = Path.Combine(TestStorage.RepositoryRoot, "infra/azure");

    /// <summary>Setting names whose values are secrets (the secret settings ARCHITECTURE.md lists).</summary>
    private static readonly string[] SecretSettings =
        ["WeChat__AppSecret", "WeChatPay__MerchantPrivateKey", "WeChatPay__ApiV3Key", "WeChatPay__PlatformPublicKey", "Session__SigningKeys__k1", "Session__EncryptionKeys__e1",
         "WeChat__PushToken", "WeChat__PushEncodingAesKey", "WeCom__ContactSecret", "WeCom__CallbackToken", "WeCom__CallbackEncodingAesKey",
         "OfficialAccount__AppSecret", "OfficialAccount__Token", "OfficialAccount__EncodingAesKey"];

    /// <summary>The CLI binary from the Azure.Bicep.CommandLine.linux-x64 package the project downloads.</summary>
    public static string BicepCli => NuGetPackages.Locate(
        "Azure.Bicep.CommandLine.linux-x64", TestStorage.Metadata("BicepCliVersion"), TestStorage.Metadata("NuGetPackageRoot"), "tools", "bicep");

    private static readonly Lazy<JsonObject> Compiled = new(() => JsonNode.Parse(Run("build", Path.Combine(InfraDirectory, "main.bicep"), "--stdout").Stdout)!.AsObject());

    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order()) data.Add(Path.GetRelativePath(InfraDirectory, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Lint_EveryFile_NoDiagnostics(string file)
    {
        var (stdout, stderr, exit) = Run("lint", Path.Combine(InfraDirectory, file), "--diagnostics-format", "sarif");
        var results = JsonNode.Parse(stdout)!["runs"]![0]!["results"]!.AsArray();
        Assert.True(exit == 0 && results.Count == 0, $"{file}: exit {exit}\n{stderr}\n{string.Join('\n', results.Select(r => r!["ruleId"] + ": " + r["message"]!["text"]))}");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Build_EveryFile_NoWarnings(string file)
    {
        var (_, stderr, exit) = Run("build", Path.Combine(InfraDirectory, file), "--stdout");
        Assert.True(exit == 0 && string.IsNullOrWhiteSpace(stderr), $"{file}: exit {exit}\n{stderr}");
    }

    [Fact]
    public void AppSettings_SecretsOnlyAsKeyVaultReferences_NoSecureParameters()
    {
        var resources = ResourcesTemplate();
        var secretNames = resources["variables"]!["secrets"]!.AsObject();
        var settings = AppSettingsExpression(resources);

        // The app settings are the plain ones plus the Key Vault references built from the secrets' names.
        Assert.Contains("variables('secretSettings')", settings, StringComparison.Ordinal);
        Assert.Contains("@Microsoft.KeyVault(VaultName={0};SecretName={1})", resources["variables"]!["secretSettings"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var name in SecretSettings)
        {
            Assert.True(secretNames.ContainsKey(name), $"{name} is not a Key Vault secret");
            Assert.DoesNotContain($"'{name}'", settings, StringComparison.Ordinal);
        }

        // Nothing secret can be passed in: no secure parameters anywhere, and no output names a secret.
        foreach (var template in new[] { Compiled.Value, resources })
        {
            Assert.DoesNotContain(template["parameters"]?.AsObject() ?? [], p => p.Value!["type"]!.GetValue<string>().StartsWith("secure", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(template["outputs"]?.AsObject() ?? [], o => SecretSettings.Any(s => o.Value!.ToJsonString().Contains($"'{s}'", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void StorageSettings_AsTheTemplateWritesThem_ReadByTheApp()
    {
        var settings = AppSettingsExpression(ResourcesTemplate());
        foreach (var key in new[] { "clientId", "tableServiceUri", "queueServiceUri", "blobServiceUri" })
        {
            Assert.Contains($"'AzureWebJobsStorage__{key}'", settings, StringComparison.Ordinal);
        }

        Assert.Contains("'AzureWebJobsStorage__credential', 'managedidentity'", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("'AzureWebJobsStorage',", settings, StringComparison.Ordinal); // no connection string: shared keys are off

        // App settings reach the worker as environment variables, where "__" is the section separator.
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage__credential"] = "managedidentity",
            ["AzureWebJobsStorage__clientId"] = "11111111-2222-3333-4444-555555555555",
            ["AzureWebJobsStorage__tableServiceUri"] = "https://stwestore.table.core.windows.net/",
            ["AzureWebJobsStorage__queueServiceUri"] = "https://stwestore.queue.core.windows.net/",
            ["AzureWebJobsStorage__blobServiceUri"] = "https://stwestore.blob.core.windows.net/",
        };
        var identity = StorageConnection.FromConfiguration(AsEnvironment(values));
        var local = StorageConnection.FromConfiguration(AsEnvironment(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }));

        Assert.False(identity.UsesConnectionString);
        Assert.Equal(new Uri("https://stwestore.table.core.windows.net/"), identity.TableServiceUri);
        Assert.Equal(new Uri("https://stwestore.queue.core.windows.net/"), identity.QueueServiceUri);
        Assert.Equal("11111111-2222-3333-4444-555555555555", identity.ManagedIdentityClientId);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(identity.CreateCredential());
        Assert.True(local.UsesConnectionString);
    }

    private static IConfiguration AsEnvironment(Dictionary<string, string?> values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => v.Value)).Build();

    [Fact]
    public void WeComEgress_NatGatewayWithStaticIp_OnlyWhenAsked_AndTheAppInItsSubnet()
    {
        var resources = ResourcesTemplate();
        var all = resources["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        JsonObject Of(string type) => all.Single(r => r["type"]!.GetValue<string>() == type);

        foreach (var type in new[] { "Microsoft.Network/publicIPAddresses", "Microsoft.Network/natGateways", "Microsoft.Network/virtualNetworks" })
        {
            Assert.Equal("[parameters('weComStaticEgress')]", Of(type)["condition"]!.GetValue<string>());
        }

        Assert.Equal("Static", Of("Microsoft.Network/publicIPAddresses")["properties"]!["publicIPAllocationMethod"]!.GetValue<string>());
        var subnet = Of("Microsoft.Network/virtualNetworks")["properties"]!["subnets"]![0]!["properties"]!;
        Assert.Contains("natGateways", subnet["natGateway"]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Microsoft.App/environments", subnet["delegations"]![0]!["properties"]!["serviceName"]!.GetValue<string>());
        Assert.Contains("weComStaticEgress", Of("Microsoft.Web/sites")["properties"]!["virtualNetworkSubnetId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(Compiled.Value["outputs"]!.AsObject().ContainsKey("WECOM_EGRESS_IP"));
    }

    private static JsonObject ResourcesTemplate()
        => Compiled.Value["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Resources/deployments")!["properties"]!["template"]!.AsObject();

    /// <summary>The ARM expression the app settings resource is given (Bicep inlines the plain settings as createObject(...)).</summary>
    private static string AppSettingsExpression(JsonObject resources)
        => Config(resources, "appsettings")["properties"]!.GetValue<string>();

    private static JsonObject Config(JsonObject resources, string name)
        => resources["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Web/sites/config" && r["name"]!.ToJsonString().Contains(name, StringComparison.Ordinal))!.AsObject();

    [Fact]
    public void ConsoleSignIn_EntraWithAnonymousAllowed_AndTheTrustSettingWritten()
    {
        var resources = ResourcesTemplate();
        var auth = Config(resources, "authsettingsV2");
        var text = auth.ToJsonString();
        Assert.Contains("consoleSignIn", auth["condition"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("\"unauthenticatedClientAction\":\"AllowAnonymous\"", text, StringComparison.Ordinal);
        Assert.Contains("azureActiveDirectory", text, StringComparison.Ordinal);
        Assert.Contains("Operators__PlatformAuth", AppSettingsExpression(resources), StringComparison.Ordinal);
        Assert.Contains("operator-key", Compiled.Value.ToJsonString(), StringComparison.Ordinal);
    }

    private static (string Stdout, string Stderr, int Exit) Run(params string[] args)
    {
        var cli = BicepCli;
        Assert.True(File.Exists(cli), $"The Bicep CLI is not at {cli}; restore the test project (it downloads Azure.Bicep.CommandLine.linux-x64).");
        // The package does not keep the executable bit (the binary is the linux-x64 build).
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cli, File.GetUnixFileMode(cli) | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "bicep did not finish");
        return (stdout.Result, stderr.Result, process.ExitCode);
    }
}
