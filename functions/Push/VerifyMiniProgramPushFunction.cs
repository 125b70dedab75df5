using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Push;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Push;

/// <summary><c>GET /api/wechat/push</c> (anonymous: the signature is the authentication): the console's URL check; the echostr back when it verifies.</summary>
public sealed class VerifyMiniProgramPushFunction(PushReceiver receiver, MiniProgramPush push, ILogger<VerifyMiniProgramPushFunction> logger)
{
    [Function(nameof(VerifyMiniProgramPushFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wechat/push")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(VerifyMiniProgramPushFunction), () =>
            Task.FromResult(PushRequests.Answer(receiver.VerifyUrl(push.Source, PushRequests.Query(request)))));
}
