using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Push;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Push;

/// <summary>
/// <c>POST /api/wechat/push</c> (anonymous: msg_signature is the authentication): a safe-mode Mini Program event,
/// JSON or XML. Verified, decrypted and queued, then <c>success</c> at once; the consumer does the work.
/// </summary>
public sealed class ReceiveMiniProgramPushFunction(PushReceiver receiver, MiniProgramPush push, ILogger<ReceiveMiniProgramPushFunction> logger)
{
    [Function(nameof(ReceiveMiniProgramPushFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "wechat/push")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(ReceiveMiniProgramPushFunction), () => PushRequests.ReceiveAsync(request, receiver, push.Source));
}
