using Microsoft.Azure.Functions.Worker;
using WeStore.Application.GroupBuys;
using WeStore.Domain.GroupBuys;

namespace WeStore.Functions.GroupBuys;

/// <summary>
/// The <c>team-timeout</c> consumer (sent delayed to a team's deadline, and again while a failed team's refunds are
/// not all final): fails a team that did not fill, closes its unpaid orders and refunds its paid ones.
/// </summary>
public sealed class SettleTeamFunction(TeamSettlement settlement)
{
    [Function(nameof(SettleTeamFunction))]
    public Task Run([QueueTrigger(GroupBuyQueues.TeamTimeout)] TeamTimeoutMessage message, CancellationToken cancellationToken)
        => settlement.HandleTimeoutAsync(message, cancellationToken);
}
