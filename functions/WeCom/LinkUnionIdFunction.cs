using Microsoft.Azure.Functions.Worker;
using WeStore.Application.WeCom;
using WeStore.Domain.Push;

namespace WeStore.Functions.WeCom;

/// <summary>The <c>unionid-links</c> consumer: a member's first login with a unionid links the WeCom contacts that waited for them.</summary>
public sealed class LinkUnionIdFunction(ContactLinker linker)
{
    [Function(nameof(LinkUnionIdFunction))]
    public Task Run([QueueTrigger(PushQueues.UnionIdLinks)] UnionIdLinkMessage message, CancellationToken cancellationToken)
        => linker.LinkWaitingAsync(message.UnionId, message.OpenId, cancellationToken);
}
