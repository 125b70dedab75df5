using WeStore.Domain.Messaging;

namespace WeStore.Application.Segments;

/// <summary>What the events that change a member's facts call: one queue message each, consumed by <see cref="MemberFactsService"/>.</summary>
public sealed class MemberFactsNotifier(IMessageSender messages)
{
    public Task NotifyAsync(MemberFactsMessage message, CancellationToken cancellationToken)
        => messages.SendAsync(SegmentQueues.MemberFacts, message, cancellationToken: cancellationToken);
}
