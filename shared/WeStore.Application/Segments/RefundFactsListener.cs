using WeStore.Application.Payments;
using WeStore.Domain.Orders;

namespace WeStore.Application.Segments;

/// <summary>A refund that went through changes the member's points (clawed back) and perhaps their wallet.</summary>
public sealed class RefundFactsListener(MemberFactsNotifier facts, TimeProvider time) : IRefundOutcomeListener
{
    public Task OnRefundAsync(Order order, string outRefundNo, RefundVerdict verdict, CancellationToken cancellationToken)
        => verdict == RefundVerdict.Succeeded
            ? facts.NotifyAsync(new MemberFactsMessage(order.OpenId, FactChanges.Refunded, time.GetUtcNow(), outRefundNo), cancellationToken)
            : Task.CompletedTask;
}
