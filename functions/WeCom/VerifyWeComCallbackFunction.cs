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
/// <c>GET /api/wecom/callback</c> (anonymous: msg_signature is the authentication): the console's URL check. The
/// echostr arrives encrypted; the decrypted text goes back verbatim (no quotes, BOM or newline) within 1 s.
/// </summary>
public sealed class VerifyWeComCallbackFunction(PushReceiver receiver, WeComCallback callback, ILogger<VerifyWeComCallbackFunction> logger)
{
    [Function(nameof(VerifyWeComCallbackFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wecom/callback")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(VerifyWeComCallbackFunction), () =>
            Task.FromResult(PushRequests.Answer(receiver.VerifyUrl(callback.Source, PushRequests.Query(request)))));
}
