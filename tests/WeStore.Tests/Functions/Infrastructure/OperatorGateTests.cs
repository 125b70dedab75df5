using System.Net;
using System.Text;
using System.Text.Json;
using WeStore.Functions.Infrastructure;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Infrastructure;

/// <summary>
/// The manage routes' gate: an operator key, or (only behind the platform's authentication) a signed-in principal
/// whose role covers the route; a principal header anywhere else is a forgery and gets 401.
/// </summary>
public sealed class OperatorGateTests
{
    private static string Principal(params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad", name_typ = "name", role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        claims = roles.Select(r => new { typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", val = r })
            .Append(new { typ = "name", val = "运营 小王" }).ToArray(),
    })));

    private static async Task<HttpStatusCode> AsAsync(StoreFixture store, HttpMethod method, string path, string? principal, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : TestData.Json(JsonSerializer.Serialize(body)) };
        if (principal is not null) request.Headers.Add(OperatorGate.PrincipalHeader, principal);
        request.Headers.Add("Idempotency-Key", "gate-" + Guid.NewGuid().ToString("N")[..8]);
        return (await store.Client.SendAsync(request)).StatusCode;
    }

    private static readonly string Day = DateTimeOffset.UtcNow.AddHours(8).AddDays(-1).ToString("yyyy-MM-dd");

    [Fact]
    public async Task Principal_PlatformAuthOn_EachRoleItsRoutesOnly()
    {
        await using var store = await StoreFixture.StartAsync(new() { [OperatorGate.PlatformAuthSetting] = "true" });
        var orders = "/api/manage/orders?status=toShip";
        var codes = "/api/manage/qrcodes";
        var report = "/api/manage/reports/attribution";
        var refund = "/api/manage/orders/WSNOSUCHORDER00000000000000/refunds";
        var refundBody = new { reason = "测试" };

        Assert.Equal(HttpStatusCode.OK, await AsAsync(store, HttpMethod.Get, orders, Principal("fulfilment")));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync(store, HttpMethod.Get, codes, Principal("fulfilment")));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync(store, HttpMethod.Post, refund, Principal("fulfilment"), refundBody));

        Assert.Equal(HttpStatusCode.OK, await AsAsync(store, HttpMethod.Get, codes, Principal("marketing")));
        Assert.Equal(HttpStatusCode.OK, await AsAsync(store, HttpMethod.Get, report, Principal("marketing")));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync(store, HttpMethod.Get, orders, Principal("marketing")));

        Assert.Equal(HttpStatusCode.NotFound, await AsAsync(store, HttpMethod.Post, refund, Principal("finance"), refundBody));
        Assert.NotEqual(HttpStatusCode.Forbidden, await AsAsync(store, HttpMethod.Get, $"/api/manage/reconciliation/{Day}", Principal("finance")));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync(store, HttpMethod.Get, orders, Principal("finance")));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync(store, HttpMethod.Get, codes, Principal("finance")));

        foreach (var path in new[] { orders, codes, report }) Assert.Equal(HttpStatusCode.OK, await AsAsync(store, HttpMethod.Get, path, Principal("operator")));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync(store, HttpMethod.Post, "/api/manage/catalog", Principal("fulfilment", "marketing", "finance"), new { products = Array.Empty<object>() }));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync(store, HttpMethod.Get, orders, Principal("admin")));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsAsync(store, HttpMethod.Get, orders, "not base64 at all"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsAsync(store, HttpMethod.Get, orders, null));

        // The key still opens everything.
        Assert.Equal(HttpStatusCode.OK, (await store.Client.SendAsync(AttributionData.Manage(HttpMethod.Get, codes))).StatusCode);
    }

    [Fact]
    public async Task Principal_PlatformAuthOff_ForgeryIs401()
    {
        await using var store = await StoreFixture.StartAsync();
        foreach (var path in new[] { "/api/manage/orders?status=toShip", "/api/manage/qrcodes", "/api/manage/reports/attribution" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await AsAsync(store, HttpMethod.Get, path, Principal("operator")));
        }
    }

    [Theory]
    [InlineData("/api/manage/orders/WS1/refunds", "refunds")]
    [InlineData("/api/manage/orders/WS1/shipments", "orders")]
    [InlineData("/api/manage/orders", "orders")]
    [InlineData("/api/manage/reconciliation/2026-12-01/run", "reconciliation")]
    [InlineData("/api/manage/", "unknown")]
    [InlineData("/api/other", "unknown")]
    public void Area_Path_ItsPartOfTheStore(string path, string area) => Assert.Equal(area, OperatorGate.Area(path, "GET"));
}
