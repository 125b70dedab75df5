using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using WeStore.Application.Segments;
using WeStore.Domain.Catalog;
using WeStore.Domain.Segments;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Segments;

/// <summary><c>POST /api/manage/segments</c>: <c>{name, rules: [{fact, op, value}]}</c>, the AND of 1 to 20 rules.</summary>
public sealed record CreateSegmentRequest(string? Name, IReadOnlyList<SegmentRuleRequest?>? Rules)
{
    public CreateSegmentCommand ToCommand() => new(Name!, [.. Rules!.Select(r => SegmentRule.TryParse(r!.Fact, r.Op, r.Value, out _)!)]);
}

public sealed record SegmentRuleRequest(string? Fact, string? Op, JsonElement Value);

public sealed class CreateSegmentRequestValidator : AbstractValidator<CreateSegmentRequest>
{
    public CreateSegmentRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Name).RequiredPrintable(60);
        RuleFor(r => r.Rules).NotEmpty().WithMessage($"rules holds 1 to {SegmentDefinition.MaxRules} rules.")
            .Must(r => r!.Count <= SegmentDefinition.MaxRules).WithMessage($"rules holds 1 to {SegmentDefinition.MaxRules} rules.");
        RuleForEach(r => r.Rules).Custom((rule, context) =>
        {
            if (rule is null)
            {
                context.AddFailure("A rule is an object {fact, op, value}.");
                return;
            }

            if (SegmentRule.TryParse(rule.Fact, rule.Op, rule.Value, out var error) is null) context.AddFailure(error!);
        }).When(r => r.Rules is { Count: > 0 and <= SegmentDefinition.MaxRules });
    }
}

/// <summary>
/// <c>POST /api/manage/flows</c>: <c>{name, trigger, segmentId?, steps: [{afterHours, action}], stopWhen: [...]}</c>.
/// An action is <c>{type: "wecomMessage", text, miniProgramTitle?, miniProgramPage?}</c>,
/// <c>{type: "subscribeMessage", templateId, page?, data}</c> or <c>{type: "coupon", couponCampaignId}</c>.
/// </summary>
public sealed record CreateFlowRequest(string? Name, string? Trigger, string? SegmentId, IReadOnlyList<FlowStepRequest?>? Steps, IReadOnlyList<string?>? StopWhen)
{
    public CreateFlowCommand ToCommand() => new(Name!, Trigger!, SegmentId,
        [.. Steps!.Select(s => new FlowStep(s!.AfterHours!.Value, s.Action!.ToAction()))], [.. (StopWhen ?? []).Select(s => s!).Distinct(StringComparer.Ordinal)]);
}

public sealed record FlowStepRequest(int? AfterHours, FlowActionRequest? Action);

public sealed record FlowActionRequest(string? Type, string? Text, string? MiniProgramTitle, string? MiniProgramPage, string? TemplateId, string? Page,
    IReadOnlyDictionary<string, string?>? Data, string? CouponCampaignId)
{
    public FlowAction ToAction() => new(Type!, Text, MiniProgramTitle, MiniProgramPage, TemplateId, Page,
        Data?.ToDictionary(d => d.Key, d => d.Value ?? string.Empty, StringComparer.Ordinal), CouponCampaignId);
}

public sealed class CreateFlowRequestValidator : AbstractValidator<CreateFlowRequest>
{
    public CreateFlowRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Name).RequiredPrintable(60);
        RuleFor(r => r.Trigger).NotEmpty().Must(t => FlowTriggers.All.Contains(t!, StringComparer.Ordinal)).WithMessage("trigger is one of " + string.Join(", ", FlowTriggers.All) + ".");
        RuleFor(r => r.SegmentId).NotEmpty().WithMessage("An enteredSegment flow names its segmentId.").When(r => r.Trigger == FlowTriggers.EnteredSegment);
        RuleFor(r => r.SegmentId).Must(SegmentIds.IsValid).WithMessage("segmentId is a segment's id.").When(r => r.SegmentId is not null);
        RuleFor(r => r.Steps).NotEmpty().Must(s => s!.Count <= FlowDefinition.MaxSteps).WithMessage($"steps holds 1 to {FlowDefinition.MaxSteps} steps.");
        RuleForEach(r => r.Steps).NotNull().WithMessage("A step is {afterHours, action}.").SetValidator(new FlowStepRequestValidator()!).When(r => r.Steps is { Count: <= FlowDefinition.MaxSteps });
        RuleFor(r => r.Steps).Must(s => s!.Zip(s!.Skip(1)).All(p => p.First!.AfterHours <= p.Second!.AfterHours))
            .WithMessage("steps are in order of afterHours.").When(r => r.Steps is { Count: > 1 and <= FlowDefinition.MaxSteps } && r.Steps.All(s => s?.AfterHours is not null && s.Action is not null));
        RuleFor(r => r.StopWhen).Must(s => s!.Count <= 3 && s.All(x => x is not null && StopReasons.All.Contains(x, StringComparer.Ordinal)))
            .WithMessage("stopWhen holds any of " + string.Join(", ", StopReasons.All) + ".").When(r => r.StopWhen is not null);
        RuleFor(r => r.StopWhen).Must(s => !s!.Contains(StopReasons.LeftSegment)).WithMessage("leftSegment needs the flow's segmentId.")
            .When(r => r.StopWhen is not null && r.SegmentId is null);
    }
}

public sealed class FlowStepRequestValidator : AbstractValidator<FlowStepRequest>
{
    public FlowStepRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(s => s.AfterHours).NotNull().InclusiveBetween(0, FlowDefinition.MaxAfterHours).WithMessage($"afterHours is 0 to {FlowDefinition.MaxAfterHours}.");
        RuleFor(s => s.Action).NotNull().WithMessage("action is {type, ...}.");
        RuleFor(s => s.Action!.Type).Must(t => FlowActionTypes.All.Contains(t!, StringComparer.Ordinal))
            .WithMessage("action.type is one of " + string.Join(", ", FlowActionTypes.All) + ".").When(s => s.Action is not null).OverridePropertyName("action.type");
        RuleFor(s => s.Action!).SetValidator(new FlowActionRequestValidator()).When(s => s.Action is not null && FlowActionTypes.All.Contains(s.Action.Type!, StringComparer.Ordinal));
    }
}

public sealed class FlowActionRequestValidator : AbstractValidator<FlowActionRequest>
{
    public FlowActionRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        When(a => a.Type == FlowActionTypes.WecomMessage, () => MessageRules.Text(this, a => a.Text, a => a.MiniProgramTitle, a => a.MiniProgramPage));
        When(a => a.Type == FlowActionTypes.SubscribeMessage, () =>
        {
            RuleFor(a => a.TemplateId).NotEmpty().MaximumLength(128).Matches("^[A-Za-z0-9_-]+$").WithMessage("templateId is a subscription template's id.");
            RuleFor(a => a.Page).Must(MessageRules.IsPage).WithMessage("page is a page path such as pages/index/index.").When(a => a.Page is not null);
            RuleFor(a => a.Data).NotEmpty().Must(d => d!.Count <= 20 && d.All(kv => Regex.IsMatch(kv.Key, "^[a-z_]+[0-9]{1,2}$") && kv.Value is { Length: > 0 and <= 200 } && TextRules.IsPrintable(kv.Value)))
                .WithMessage("data maps template keys (such as thing1) to 1 to 200 printable characters.");
        });
        When(a => a.Type == FlowActionTypes.Coupon, () =>
            RuleFor(a => a.CouponCampaignId).NotEmpty().Must(CatalogRules.IsValidId).WithMessage("couponCampaignId is a campaign's id."));
    }
}

/// <summary><c>POST /api/manage/broadcasts</c>: <c>{segmentId, text, miniProgram?: {title, page}, couponCampaignId?}</c>.</summary>
public sealed record CreateBroadcastRequest(string? SegmentId, string? Text, MiniProgramCardRequest? MiniProgram, string? CouponCampaignId)
{
    public CreateBroadcastCommand ToCommand(string? idempotencyKey) => new(SegmentId!, Text!, MiniProgram?.Title, MiniProgram?.Page, CouponCampaignId, idempotencyKey);
}

public sealed record MiniProgramCardRequest(string? Title, string? Page);

public sealed class CreateBroadcastRequestValidator : AbstractValidator<CreateBroadcastRequest>
{
    public CreateBroadcastRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.SegmentId).NotEmpty().Must(SegmentIds.IsValid).WithMessage("segmentId is a segment's id.");
        MessageRules.Text(this, r => r.Text, r => r.MiniProgram == null ? null : r.MiniProgram.Title, r => r.MiniProgram == null ? null : r.MiniProgram.Page);
        RuleFor(r => r.MiniProgram).Must(m => m!.Title is not null && m.Page is not null).WithMessage("miniProgram is {title, page}.").When(r => r.MiniProgram is not null);
        RuleFor(r => r.CouponCampaignId).Must(CatalogRules.IsValidId).WithMessage("couponCampaignId is a campaign's id.").When(r => r.CouponCampaignId is not null);
    }
}

/// <summary>WeCom's message limits: text ≤4000 bytes, a card title ≤64 bytes (https://developer.work.weixin.qq.com/document/path/92135).</summary>
internal static class MessageRules
{
    public static void Text<T>(AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, string?>> text,
        System.Linq.Expressions.Expression<Func<T, string?>> title, System.Linq.Expressions.Expression<Func<T, string?>> page)
    {
        v.RuleFor(text).NotEmpty().Must(t => System.Text.Encoding.UTF8.GetByteCount(t!) <= 4000).WithMessage("text is 1 to 4000 UTF-8 bytes.")
            .Must(t => t!.All(c => !char.IsControl(c) || c is '\n')).WithMessage("text may hold line breaks but no other control characters.");
        v.RuleFor(title).Must(t => System.Text.Encoding.UTF8.GetByteCount(t!) <= 64 && TextRules.IsPrintable(t)).WithMessage("The card's title is at most 64 UTF-8 bytes of printable text.")
            .When(x => title.Compile()(x) is not null);
        v.RuleFor(page).Must(IsPage).WithMessage("The card's page is a page path such as pages/index/index.").When(x => page.Compile()(x) is not null);
        v.RuleFor(x => x).Must(x => (title.Compile()(x) is null) == (page.Compile()(x) is null)).WithMessage("A Mini Program card needs both its title and its page.");
    }

    public static bool IsPage(string? p) => p is { Length: > 0 and <= 200 }
        && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '?' or '=' or '&') && !p.StartsWith('/') && !p.Contains("..", StringComparison.Ordinal);
}

public static partial class SegmentIds
{
    /// <summary>The store's ids for segments, flows and broadcasts: two letters and hex.</summary>
    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    [GeneratedRegex("^[a-z]{2}[0-9a-f]{16,20}$")]
    private static partial Regex Shape();
}
