using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Segments;

namespace WeStore.Functions.Segments;

/// <summary>The <c>flow-steps</c> consumer: one member's due flow step, once however many copies arrive.</summary>
public sealed class RunFlowStepFunction(FlowService flows)
{
    [Function(nameof(RunFlowStepFunction))]
    public Task Run([QueueTrigger(SegmentQueues.FlowSteps)] FlowStepMessage message, CancellationToken cancellationToken) => flows.StepAsync(message, cancellationToken);
}
