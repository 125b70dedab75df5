using System.Text.Json;
using FluentValidation.TestHelper;
using WeStore.Application.Segments;
using WeStore.Functions.Segments;

namespace WeStore.UnitTests.Functions.Segments;

public sealed class SegmentRequestValidatorTests
{
    private static readonly CreateSegmentRequestValidator Segments = new();
    private static readonly CreateFlowRequestValidator Flows = new();
    private static readonly CreateBroadcastRequestValidator Broadcasts = new();

    private static SegmentRuleRequest Rule(string? fact, string? op, string json) => new(fact, op, JsonDocument.Parse(json).RootElement.Clone());

    private static FlowStepRequest Step(int? hours, FlowActionRequest? action) => new(hours, action);

    private static FlowActionRequest Message(string? text = "你好") => new("wecomMessage", text, null, null, null, null, null, null);

    private static CreateFlowRequest Flow(string? trigger = "wecomAdded", string? segmentId = null, IReadOnlyList<FlowStepRequest?>? steps = null, IReadOnlyList<string?>? stop = null)
        => new("首周", trigger, segmentId, steps ?? [Step(48, Message()), Step(120, new FlowActionRequest("coupon", null, null, null, null, null, null, "camp1"))], stop ?? ["purchased"]);

    [Fact]
    public void Segment_Valid_NoErrors()
        => Segments.TestValidate(new CreateSegmentRequest("浙江回头客", [Rule("province", "eq", "\"浙江省\""), Rule("paidOrderCount", "gte", "2")])).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Segment_UnknownFact_Error()
        => Assert.False(Segments.TestValidate(new CreateSegmentRequest("x", [Rule("age", "gte", "18")])).IsValid);

    [Fact]
    public void Segment_UnknownOp_Error()
        => Assert.False(Segments.TestValidate(new CreateSegmentRequest("x", [Rule("tier", "startsWith", "\"g\"")])).IsValid);

    [Fact]
    public void Segment_NoRulesOrTooMany_Error()
    {
        Segments.TestValidate(new CreateSegmentRequest("x", [])).ShouldHaveValidationErrorFor(r => r.Rules);
        Segments.TestValidate(new CreateSegmentRequest("x", [.. Enumerable.Range(0, 21).Select(_ => Rule("tier", "eq", "\"gold\""))])).ShouldHaveValidationErrorFor(r => r.Rules);
        Assert.False(Segments.TestValidate(new CreateSegmentRequest("x", [null])).IsValid);
    }

    [Fact]
    public void Segment_ControlCharactersInName_Error()
        => Segments.TestValidate(new CreateSegmentRequest("a\u0000b", [Rule("tier", "eq", "\"gold\"")])).ShouldHaveValidationErrorFor(r => r.Name);

    [Fact]
    public void Flow_Valid_NoErrors() => Flows.TestValidate(Flow()).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Flow_UnknownTrigger_Error() => Flows.TestValidate(Flow(trigger: "birthday")).ShouldHaveValidationErrorFor(r => r.Trigger);

    [Fact]
    public void Flow_EnteredSegmentWithoutSegment_Error() => Flows.TestValidate(Flow(trigger: "enteredSegment")).ShouldHaveValidationErrorFor(r => r.SegmentId);

    [Fact]
    public void Flow_LeftSegmentWithoutSegment_Error() => Flows.TestValidate(Flow(stop: ["leftSegment"])).ShouldHaveValidationErrorFor(r => r.StopWhen);

    [Fact]
    public void Flow_UnknownStop_Error() => Flows.TestValidate(Flow(stop: ["bored"])).ShouldHaveValidationErrorFor(r => r.StopWhen);

    [Fact]
    public void Flow_StepsOutOfOrder_Error() => Flows.TestValidate(Flow(steps: [Step(48, Message()), Step(2, Message())])).ShouldHaveValidationErrorFor(r => r.Steps);

    [Fact]
    public void Flow_StepWithoutActionOrHours_Error()
    {
        Assert.False(Flows.TestValidate(Flow(steps: [Step(null, Message())])).IsValid);
        Assert.False(Flows.TestValidate(Flow(steps: [Step(1, null)])).IsValid);
        Assert.False(Flows.TestValidate(Flow(steps: [Step(FlowRequestLimits.TooManyHours, Message())])).IsValid);
        Assert.False(Flows.TestValidate(Flow(steps: [null])).IsValid);
    }

    [Fact]
    public void Flow_MessageTooLong_Error() => Assert.False(Flows.TestValidate(Flow(steps: [Step(1, Message(new string('汉', 1400)))])).IsValid);

    [Fact]
    public void Flow_CouponWithoutCampaign_Error()
        => Assert.False(Flows.TestValidate(Flow(steps: [Step(1, new FlowActionRequest("coupon", null, null, null, null, null, null, null))])).IsValid);

    [Fact]
    public void Flow_SubscribeWithoutData_Error()
        => Assert.False(Flows.TestValidate(Flow(steps: [Step(1, new FlowActionRequest("subscribeMessage", null, null, null, "tmpl1", null, null, null))])).IsValid);

    [Fact]
    public void Flow_UnknownActionType_Error()
        => Assert.False(Flows.TestValidate(Flow(steps: [Step(1, new FlowActionRequest("sms", "hi", null, null, null, null, null, null))])).IsValid);

    [Fact]
    public void Broadcast_Valid_NoErrors()
        => Broadcasts.TestValidate(new CreateBroadcastRequest("sg0123456789abcdef", "好久不见", new MiniProgramCardRequest("回来看看", "pages/index/index"), null)).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Broadcast_BadSegmentId_Error()
        => Broadcasts.TestValidate(new CreateBroadcastRequest("../etc", "hi", null, null)).ShouldHaveValidationErrorFor(r => r.SegmentId);

    [Fact]
    public void Broadcast_CardWithoutPage_Error()
        => Assert.False(Broadcasts.TestValidate(new CreateBroadcastRequest("sg0123456789abcdef", "hi", new MiniProgramCardRequest("t", null), null)).IsValid);

    [Fact]
    public void Broadcast_HostilePage_Error()
        => Assert.False(Broadcasts.TestValidate(new CreateBroadcastRequest("sg0123456789abcdef", "hi", new MiniProgramCardRequest("t", "../../x"), null)).IsValid);

    [Fact]
    public void CustomerCap_Modes_PeriodAndLimit()
    {
        var at = new DateTimeOffset(2026, 2, 10, 4, 0, 0, TimeSpan.Zero);
        Assert.Equal(("m202602", 28), CustomerCap.At("month", at));
        Assert.Equal(("d20260210", 1), CustomerCap.At("day", at));
        Assert.Equal(7, CustomerCap.At("week", at).Limit);
    }

    private static class FlowRequestLimits
    {
        public const int TooManyHours = (24 * 366) + 1;
    }
}
