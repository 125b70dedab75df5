using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace WeStore.WeChat.MiniProgram;

/// <summary>The transport under every api.weixin.qq.com call (see <see cref="WeChatTransport"/>).</summary>
public sealed class WeChatHttp(HttpClient http, IOptions<WeChatOptions> options, TimeProvider time, ILogger<WeChatHttp> logger)
    : WeChatTransport(http, options.Value.MaxRetries, time, logger)
{
    public WeChatOptions Options => options.Value;
}

/// <summary>
/// The transport under every WeChat and WeCom JSON API call: sends, reads errcode/errmsg, retries a busy answer (-1)
/// with backoff, and turns transport failures (5xx after the resilience handler's retries, timeouts, refused
/// connections) into <see cref="WeChatUnavailableException"/>. URLs carry secrets, so they are never logged.
/// api.weixin.qq.com and qyapi.weixin.qq.com share the errcode/errmsg envelope and the -1 meaning.
/// </summary>
public abstract class WeChatTransport(HttpClient http, int maxRetries, TimeProvider time, ILogger logger)
{

    public Task<TResponse> GetAsync<TResponse>(string endpoint, string pathAndQuery, CancellationToken cancellationToken)
        where TResponse : WeChatResponse
        => SendAsync<TResponse>(endpoint, () => new HttpRequestMessage(HttpMethod.Get, pathAndQuery), cancellationToken);

    public Task<TResponse> PostJsonAsync<TRequest, TResponse>(string endpoint, string pathAndQuery, TRequest body, CancellationToken cancellationToken)
        where TResponse : WeChatResponse
    {
        var json = JsonSerializer.Serialize(body, WeChatJson.Options);
        return SendAsync<TResponse>(endpoint, () => new HttpRequestMessage(HttpMethod.Post, pathAndQuery)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        }, cancellationToken);
    }

    /// <summary>For endpoints that answer with bytes on success and JSON on failure (QR codes).</summary>
    public async Task<(byte[] Body, string? ContentType)> PostJsonForBytesAsync<TRequest>(string endpoint, string pathAndQuery, TRequest body, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(body, WeChatJson.Options);
        for (var attempt = 0; ; attempt++)
        {
            using var response = await SendRawAsync(endpoint, () => new HttpRequestMessage(HttpMethod.Post, pathAndQuery)
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            }, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var contentType = response.Content.Headers.ContentType?.MediaType;
            var looksLikeJson = contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true || (bytes.Length > 0 && bytes[0] == (byte)'{');
            if (!looksLikeJson) return (bytes, contentType);

            var error = ParseOrThrow<ErrorOnly>(endpoint, bytes);
            if (error.ErrorCode == WeChatErrorCodes.Busy && attempt < maxRetries)
            {
                await BackoffAsync(attempt, cancellationToken);
                continue;
            }

            throw error.ErrorCode == WeChatErrorCodes.Busy
                ? new WeChatUnavailableException(endpoint, "WeChat stayed busy (-1)")
                : new WeChatApiException(endpoint, error.ErrorCode, error.ErrorMessage);
        }
    }

    /// <summary>A multipart upload (WeCom's media/upload): one file part named <paramref name="field"/>.</summary>
    public Task<TResponse> PostFileAsync<TResponse>(string endpoint, string pathAndQuery, string field, string fileName, string contentType, byte[] file, CancellationToken cancellationToken)
        where TResponse : WeChatResponse
        => SendAsync<TResponse>(endpoint, () =>
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            // WeCom reads filename and filelength from the part's Content-Disposition (https://developer.work.weixin.qq.com/document/path/90253).
            part.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("form-data") { Name = $"\"{field}\"", FileName = $"\"{fileName}\"" };
            part.Headers.ContentDisposition.Parameters.Add(new System.Net.Http.Headers.NameValueHeaderValue("filelength", file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var form = new MultipartFormDataContent { part };
            return new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = form };
        }, cancellationToken);

    private async Task<TResponse> SendAsync<TResponse>(string endpoint, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
        where TResponse : WeChatResponse
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await SendRawAsync(endpoint, createRequest, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var result = ParseOrThrow<TResponse>(endpoint, bytes);
            if (result.ErrorCode == WeChatErrorCodes.Busy && attempt < maxRetries)
            {
                logger.LogWarning("{Endpoint} answered busy (-1); retrying (attempt {Attempt})", endpoint, attempt + 1);
                await BackoffAsync(attempt, cancellationToken);
                continue;
            }

            return result.ErrorCode switch
            {
                0 => result,
                WeChatErrorCodes.Busy => throw new WeChatUnavailableException(endpoint, "WeChat stayed busy (-1)"),
                _ => throw new WeChatApiException(endpoint, result.ErrorCode, result.ErrorMessage),
            };
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(string endpoint, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var request = createRequest();
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("{Endpoint} could not be reached: {Reason}", endpoint, e.GetType().Name);
            throw new WeChatUnavailableException(endpoint, e.GetType().Name, e);
        }

        if ((int)response.StatusCode >= 500 || (int)response.StatusCode == 429)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            logger.LogWarning("{Endpoint} answered HTTP {Status}", endpoint, status);
            throw new WeChatUnavailableException(endpoint, $"HTTP {status}");
        }

        return response;
    }

    private static T ParseOrThrow<T>(string endpoint, byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, WeChatJson.Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new WeChatUnavailableException(endpoint, "the answer was not the expected JSON", e);
        }
    }

    private Task BackoffAsync(int attempt, CancellationToken cancellationToken)
        => Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << attempt)), time, cancellationToken);

    private sealed class ErrorOnly : WeChatResponse;
}
