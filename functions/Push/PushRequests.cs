using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using WeStore.Application.Push;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Push;

/// <summary>The push endpoints' shared edges: the query WeChat signs, the bounded body, and the answer as WeChat expects it.</summary>
public static class PushRequests
{
    /// <summary>WeChat's events are a few KiB; anything near this is not one.</summary>
    public const int MaxBytes = 64 * 1024;

    public static PushQuery Query(HttpRequest request)
    {
        string? One(string name) => request.Query[name].Count == 1 ? request.Query[name][0] : null;
        return new PushQuery(One("signature"), One("timestamp"), One("nonce"), One("msg_signature"), One("encrypt_type"), One("echostr"));
    }

    public static async Task<IActionResult> ReceiveAsync(HttpRequest request, PushReceiver receiver, PushSource source)
    {
        var body = await RequestBody.ReadBoundedAsync(request, MaxBytes, request.HttpContext.RequestAborted);
        if (body is null) return Problems.Create(StatusCodes.Status413PayloadTooLarge, "The push is too large.");
        return Answer(await receiver.ReceiveAsync(source, Query(request), body, RequestCancellation.Writes));
    }

    public static IActionResult Answer(PushAnswer answer) => answer.ContentType == Problems.ContentType
        ? Problems.Create(answer.Status, answer.Body)
        : new ContentResult { StatusCode = answer.Status, Content = answer.Body, ContentType = answer.ContentType };
}
