using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.OfficialAccount;
using WeStore.Application.Push;
using WeStore.Functions.Infrastructure;
using WeStore.Functions.Push;

namespace WeStore.Functions.OfficialAccount;

/// <summary><c>GET /api/wechat/official-account/push</c> (anonymous: the signature is the authentication): the server config's URL check, the echostr back verbatim.</summary>
public sealed class VerifyOfficialAccountPushFunction(PushReceiver receiver, OfficialAccountPush push, ILogger<VerifyOfficialAccountPushFunction> logger)
{
    [Function(nameof(VerifyOfficialAccountPushFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wechat/official-account/push")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(VerifyOfficialAccountPushFunction), () =>
            Task.FromResult(PushRequests.Answer(receiver.VerifyUrl(push.Source, PushRequests.Query(request)))));
}
