using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.OfficialAccount;
using WeStore.Application.Push;
using WeStore.Functions.Infrastructure;
using WeStore.Functions.Push;

namespace WeStore.Functions.OfficialAccount;

/// <summary>
/// <c>POST /api/wechat/official-account/push</c> (anonymous: msg_signature is the authentication): a safe-mode event
/// (XML), verified, decrypted and queued (<c>official-account-events</c>), then <c>success</c> at once.
/// </summary>
public sealed class ReceiveOfficialAccountPushFunction(PushReceiver receiver, OfficialAccountPush push, ILogger<ReceiveOfficialAccountPushFunction> logger)
{
    [Function(nameof(ReceiveOfficialAccountPushFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "wechat/official-account/push")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(ReceiveOfficialAccountPushFunction), () => PushRequests.ReceiveAsync(request, receiver, push.Source));
}
