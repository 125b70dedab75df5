using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Push;
using WeStore.Application.WeCom;
using WeStore.Functions.Infrastructure;
using WeStore.Functions.Push;

namespace WeStore.Functions.WeCom;

/// <summary>
/// <c>POST /api/wecom/callback</c> (anonymous: msg_signature is the authentication): verified, decrypted and queued
/// (<c>wecom-events</c>), then an empty 200 at once, well inside WeCom's 5 s; the consumer does the work.
/// </summary>
public sealed class ReceiveWeComCallbackFunction(PushReceiver receiver, WeComCallback callback, ILogger<ReceiveWeComCallbackFunction> logger)
{
    [Function(nameof(ReceiveWeComCallbackFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "wecom/callback")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(ReceiveWeComCallbackFunction), () => PushRequests.ReceiveAsync(request, receiver, callback.Source));
}
