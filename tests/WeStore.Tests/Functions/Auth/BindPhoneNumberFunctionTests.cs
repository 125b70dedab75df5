using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WeStore.Application.Security;
using WeStore.Storage;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Auth;

public sealed class BindPhoneNumberFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    private static StringContent PhoneBody(string code) => TestData.Json(JsonSerializer.Serialize(new { code }));

    [Fact]
    public async Task Bind_ValidCode_MaskedNumberReturnedAndStoredEncrypted()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var stem = "phone" + Guid.NewGuid().ToString("N")[..8];
        var token = await TestData.LoginAsync(host.Client, TestData.ShopperCode(stem));

        var response = await host.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/auth/phone", token, PhoneBody("phonecode1")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var masked = body.GetProperty("maskedPhoneNumber").GetString()!;
        Assert.Matches(@"^138\*\*\*\*\d{4}$", masked);
        var profile = (await new TableClient(host.ConnectionString, host.TableName(TableNames.Members))
            .GetEntityAsync<TableEntity>(sandbox.State.Derive("o", sandbox.Options.AppId, stem), "profile")).Value;
        Assert.Equal(masked, profile.GetString("MaskedPhoneNumber"));
        var stored = profile.GetString("ProtectedPhoneNumber")!;
        var phone = host.Services.GetRequiredService<SecretProtector>().Unprotect(stored, profile.PartitionKey)!;
        Assert.Matches(@"^138\d{8}$", phone);
        Assert.EndsWith(masked[^4..], phone);
        Assert.DoesNotContain(phone, stored);
    }

    [Fact]
    public async Task Bind_NoToken_401()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var callsBefore = sandbox.State.Count("wxa/business/getuserphonenumber");

        var response = await host.Client.PostAsync("/api/auth/phone", PhoneBody("phonecode1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(callsBefore, sandbox.State.Count("wxa/business/getuserphonenumber"));
    }

    [Fact]
    public async Task Bind_TokenFromAnotherDeployment_401()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        string foreignToken;
        await using (var other = await RunningHost.StartWeStoreAsync(sandbox.StoreSettings()))
        {
            foreignToken = await TestData.LoginAsync(other.Client, TestData.ShopperCode());
        }

        await using var host = await RunningHost.StartWeStoreAsync(sandbox.StoreSettings());
        var response = await host.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/auth/phone", foreignToken, PhoneBody("phonecode1")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Bind_WatermarkForAnotherApp_403()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var token = await TestData.LoginAsync(host.Client, TestData.ShopperCode());

        var response = await host.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/auth/phone", token, PhoneBody("otherapp1")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Bind_InvalidCode_400()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var token = await TestData.LoginAsync(host.Client, TestData.ShopperCode());

        var response = await host.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/auth/phone", token, PhoneBody("invalidcode")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Bind_AccessTokenReplacedElsewhere_RefreshedOnceAndRetried()
    {
        var (sandbox, host) = (shared.Store.Sandbox, shared.Store.Host);
        var token = await TestData.LoginAsync(host.Client, TestData.ShopperCode());
        await host.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/auth/phone", token, PhoneBody("phonecode1")));
        var fetchesBefore = sandbox.State.Count("cgi-bin/stable_token");

        sandbox.State.InvalidateAccessToken();
        var response = await host.Client.SendAsync(TestData.Authorized(HttpMethod.Post, "/api/auth/phone", token, PhoneBody("phonecode2")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // One stable_token call replaces the refused token; the retried call then succeeds.
        Assert.Equal(fetchesBefore + 1, sandbox.State.Count("cgi-bin/stable_token"));
    }
}
