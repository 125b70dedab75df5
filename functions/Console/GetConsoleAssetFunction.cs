using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Console;

/// <summary>
/// <c>GET /api/manage/console/{*path}</c>: the operator console's files (no data: every figure it shows comes from the
/// manage routes, each behind the operator's key), gzip when the browser takes it, revalidated by ETag, with a
/// content security policy that allows the app's own scripts and styles only.
/// </summary>
public sealed class GetConsoleAssetFunction(ConsoleAssets assets, ILogger<GetConsoleAssetFunction> logger)
{
    private const string Prefix = "/manage/console";

    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data: https: http:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    [Function(nameof(GetConsoleAssetFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/console/{*path}")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(GetConsoleAssetFunction), () =>
        {
            // The file is what follows the console's own prefix in the (decoded) path; anything else is not one of its files.
            var full = request.Path.Value ?? string.Empty;
            var at = full.IndexOf(Prefix, StringComparison.Ordinal);
            var path = at < 0 ? null : full[(at + Prefix.Length)..];
            if (assets.Find(path) is not { } asset) return Task.FromResult<IActionResult>(Problems.Create(StatusCodes.Status404NotFound, "No such console file."));
            var headers = request.HttpContext.Response.Headers;
            headers.ETag = asset.ETag;
            headers.CacheControl = asset.Path == "index.html" ? "no-cache" : "public, max-age=300";
            headers.Vary = "Accept-Encoding";
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = Policy;
            headers["Referrer-Policy"] = "no-referrer";
            if (request.Headers.IfNoneMatch.ToString() == asset.ETag) return Task.FromResult<IActionResult>(new StatusCodeResult(StatusCodes.Status304NotModified));
            var gzip = request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
            if (gzip) headers.ContentEncoding = "gzip";
            return Task.FromResult<IActionResult>(new FileContentResult(gzip ? asset.Gzip : asset.Body, asset.ContentType));
        });
}
