using System.IO.Compression;
using System.Net;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Console;

/// <summary>The console's files: served by the app itself (no CDN), gzip, cached by ETag, locked down by a CSP.</summary>
public sealed class GetConsoleAssetFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Get_Page_HtmlWithPolicyAndOwnScriptsOnly()
    {
        var response = await shared.Store.Client.GetAsync("/api/manage/console/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("src=\"vendor/echarts.min.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http-equiv", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_EChartsGzip_SmallerAndRevalidatedByETag()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/manage/console/vendor/echarts.min.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await shared.Store.Client.SendAsync(request);
        var zipped = await response.Content.ReadAsByteArrayAsync();
        using var unzip = new GZipStream(new MemoryStream(zipped), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await unzip.CopyToAsync(plain);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        Assert.True(plain.Length > 2 * zipped.Length, $"{zipped.Length} bytes zipped of {plain.Length}");
        Assert.Contains("echarts", System.Text.Encoding.UTF8.GetString(plain.ToArray(), 0, 4000), StringComparison.OrdinalIgnoreCase);

        var again = new HttpRequestMessage(HttpMethod.Get, "/api/manage/console/vendor/echarts.min.js");
        again.Headers.IfNoneMatch.ParseAdd(response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, (await shared.Store.Client.SendAsync(again)).StatusCode);
    }

    [Theory]
    [InlineData("/api/manage/console/nothing.js")]
    [InlineData("/api/manage/console/..%2F..%2Fhost.json")]
    [InlineData("/api/manage/console/node_modules/echarts/package.json")]
    public async Task Get_UnknownOrHostilePath_404Problem(string path)
    {
        var response = await shared.Store.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_DotSegmentsOutOfTheConsole_LandOnAKeyedRoute()
    {
        // The dot segments are resolved before routing: the request leaves the console, and the keyed route it lands on refuses it.
        var response = await shared.Store.Client.GetAsync("/api/manage/console/%2e%2e/orders?status=toShip");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
