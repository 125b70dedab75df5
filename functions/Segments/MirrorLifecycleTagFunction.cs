using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Segments;

namespace WeStore.Functions.Segments;

/// <summary>The <c>wecom-tags</c> consumer: a contact's lifecycle stage mirrored to WeCom with mark_tag, paced.</summary>
public sealed class MirrorLifecycleTagFunction(LifecycleTagMirror mirror)
{
    [Function(nameof(MirrorLifecycleTagFunction))]
    public Task Run([QueueTrigger(SegmentQueues.WeComTags)] WeComTagMessage message, CancellationToken cancellationToken) => mirror.MirrorAsync(message, cancellationToken);
}
