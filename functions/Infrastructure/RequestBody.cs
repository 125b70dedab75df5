using Microsoft.AspNetCore.Http;

namespace WeStore.Functions.Infrastructure;

/// <summary>The one bounded read of a request body, shared by JSON routes and WeChat Pay notifications.</summary>
public static class RequestBody
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>The body's bytes, read once and sized to what arrived; null when it is over <see cref="MaxBytes"/>.</summary>
    public static Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
        => ReadBoundedAsync(request, MaxBytes, cancellationToken);

    /// <summary>As above with another limit, for the few routes that take files (a warehouse's CSV).</summary>
    public static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return null;
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 0);
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes) return null;
        }

        return buffer.ToArray();
    }
}
