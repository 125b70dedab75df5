using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using WeStore.Application.Payments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Payments;

/// <summary>Reading a WeChat Pay notification exactly as sent, and answering it the way WeChat Pay expects.</summary>
public static class NotifyRequests
{
    /// <summary>The signature headers and the raw body, as one service call takes them.</summary>
    public delegate Task<NotifyAnswer> Handler(string? serial, string? timestamp, string? nonce, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the raw body once, hands it with the signature headers to <paramref name="handle"/>, and answers as
    /// WeChat Pay expects; a failure to record is a 500 FAIL, so WeChat Pay retries.
    /// </summary>
    public static async Task<IActionResult> HandleAsync(HttpRequest request, ILogger logger, Handler handle)
    {
        var ct = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadBoundedAsync(request, ct);
        if (body is null) return TooLarge();
        try
        {
            return ToResult(await handle(Header(request, "Wechatpay-Serial"), Header(request, "Wechatpay-Timestamp"),
                Header(request, "Wechatpay-Nonce"), Header(request, "Wechatpay-Signature"), body, RequestCancellation.Writes));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Recording a WeChat Pay notification failed; WeChat Pay will retry it");
            return Retry();
        }
    }

    /// <summary>Header names are case-insensitive here, as proxies may change their case.</summary>
    public static string? Header(HttpRequest request, string name) => request.Headers.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    /// <summary>204 with no body, or the status with <c>{"code":"FAIL","message":...}</c>: WeChat Pay acts on the status.</summary>
    public static IActionResult ToResult(NotifyAnswer answer) => answer.Status == StatusCodes.Status204NoContent
        ? new NoContentResult()
        : new ObjectResult(new { code = "FAIL", message = answer.Message }) { StatusCode = answer.Status, ContentTypes = { "application/json" } };

    public static IActionResult TooLarge() => ToResult(new NotifyAnswer(StatusCodes.Status413PayloadTooLarge, "the body is too large"));

    /// <summary>Storage or WeChat Pay unavailable: 500 FAIL, so WeChat Pay retries later.</summary>
    public static IActionResult Retry() => ToResult(new NotifyAnswer(StatusCodes.Status500InternalServerError, "temporarily unavailable; retry"));
}
