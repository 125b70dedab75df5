namespace WeStore.Domain.Segments;

public static class FlowTriggers
{
    public const string WecomAdded = "wecomAdded";
    public const string Joined = "joined";
    public const string FirstPurchase = "firstPurchase";
    public const string EnteredSegment = "enteredSegment";

    public static readonly IReadOnlyList<string> All = [WecomAdded, Joined, FirstPurchase, EnteredSegment];
}

public static class StopReasons
{
    public const string Purchased = "purchased";
    public const string ContactLost = "contactLost";
    public const string LeftSegment = "leftSegment";

    public static readonly IReadOnlyList<string> All = [Purchased, ContactLost, LeftSegment];
}

public static class FlowActionTypes
{
    /// <summary>A WeCom message to the one contact, sent by the contact's own staff member (add_msg_template, single).</summary>
    public const string WecomMessage = "wecomMessage";

    /// <summary>A Mini Program subscription message, only while the member holds a grant for its template.</summary>
    public const string SubscribeMessage = "subscribeMessage";

    /// <summary>A coupon of a campaign, issued once per member and step.</summary>
    public const string Coupon = "coupon";

    public static readonly IReadOnlyList<string> All = [WecomMessage, SubscribeMessage, Coupon];
}

public sealed record FlowAction(
    string Type, string? Text = null, string? MiniProgramTitle = null, string? MiniProgramPage = null,
    string? TemplateId = null, string? Page = null, IReadOnlyDictionary<string, string>? Data = null, string? CouponCampaignId = null);

/// <summary>A step runs <see cref="AfterHours"/> after the member entered the flow.</summary>
public sealed record FlowStep(int AfterHours, FlowAction Action);

public sealed record FlowDefinition(string Id, string Name, string Trigger, string? SegmentId, IReadOnlyList<FlowStep> Steps, IReadOnlyList<string> StopWhen, DateTimeOffset CreatedAt)
{
    public const int MaxSteps = 20;

    /// <summary>The longest wait a step may have after entering: a year.</summary>
    public const int MaxAfterHours = 24 * 366;

    public DateTimeOffset DueAt(DateTimeOffset enteredAt, int step) => enteredAt.AddHours(Steps[step].AfterHours);
}

public enum FlowRunState
{
    Running,
    Stopped,
    Finished,
}

/// <summary>What a run's transition does to its flow's counters.</summary>
public sealed record FlowStatsDelta(int Entered = 0, int Running = 0, int Finished = 0, string? StoppedBy = null, int Purchasers = 0, long Gmv = 0);

public sealed record FlowStats(long Entered, long Running, long Finished, IReadOnlyDictionary<string, long> Stopped, long Purchasers, long Gmv);

/// <summary>
/// One member's run through a flow, for one trigger occurrence. Running → Stopped (a stop condition held at a step) or
/// Finished (the last step done). A step is claimed before its action, so of many copies of one step message one acts;
/// a claim whose holder died can be taken over once its lease ends.
/// </summary>
public sealed class FlowRun
{
    private readonly List<string> _results = [];
    private readonly List<string> _credited = [];

    private FlowRun(string flowId, string openId, string occurrence)
    {
        FlowId = flowId;
        OpenId = openId;
        Occurrence = occurrence;
    }

    public string FlowId { get; }

    public string OpenId { get; }

    public string Occurrence { get; }

    public DateTimeOffset EnteredAt { get; private set; }

    /// <summary>The next step to run.</summary>
    public int Step { get; private set; }

    public FlowRunState State { get; private set; }

    public string? StopReason { get; private set; }

    public int? ClaimStep { get; private set; }

    public DateTimeOffset? ClaimUntil { get; private set; }

    /// <summary>One line per step done: what its action came to ("sent", "issued", "skipped:noContact" ...).</summary>
    public IReadOnlyList<string> Results => _results;

    public IReadOnlyList<string> CreditedOrders => _credited;

    public string? Version { get; private set; }

    public static FlowRun Enter(string flowId, string openId, string occurrence, DateTimeOffset at) => new(flowId, openId, occurrence) { EnteredAt = at };

    public static FlowRun Restore(string flowId, string openId, string occurrence, DateTimeOffset enteredAt, int step, FlowRunState state, string? stopReason,
        int? claimStep, DateTimeOffset? claimUntil, IEnumerable<string> results, IEnumerable<string> credited, string? version)
    {
        var r = new FlowRun(flowId, openId, occurrence) { EnteredAt = enteredAt, Step = step, State = state, StopReason = stopReason, ClaimStep = claimStep, ClaimUntil = claimUntil, Version = version };
        r._results.AddRange(results);
        r._credited.AddRange(credited);
        return r;
    }

    /// <summary>Claims <paramref name="step"/>; false when another copy holds a live claim on it. Sets <paramref name="takeover"/> when a dead holder's claim is taken.</summary>
    public bool TryClaim(int step, DateTimeOffset now, TimeSpan lease, out bool takeover)
    {
        takeover = false;
        if (State != FlowRunState.Running || Step != step) return false;
        if (ClaimStep == step)
        {
            if (ClaimUntil > now) return false;
            takeover = true;
        }

        (ClaimStep, ClaimUntil) = (step, now + lease);
        return true;
    }

    public FlowStatsDelta CompleteStep(int step, string result, int stepCount)
    {
        if (State != FlowRunState.Running || Step != step) throw new InvalidOperationException($"Step {step} is not the run's current step.");
        _results.Add(result);
        (ClaimStep, ClaimUntil) = (null, null);
        Step++;
        if (Step < stepCount) return new FlowStatsDelta();
        State = FlowRunState.Finished;
        return new FlowStatsDelta(Running: -1, Finished: 1);
    }

    public FlowStatsDelta Stop(string reason)
    {
        if (State != FlowRunState.Running) throw new InvalidOperationException("Only a running run can stop.");
        (State, StopReason, ClaimStep, ClaimUntil) = (FlowRunState.Stopped, reason, null, null);
        return new FlowStatsDelta(Running: -1, StoppedBy: reason);
    }

    /// <summary>A purchase within the week after entering; each order once. The first makes the member a purchaser.</summary>
    public FlowStatsDelta? Credit(string orderNo, long amount)
    {
        if (_credited.Contains(orderNo, StringComparer.Ordinal) || _credited.Count >= 50) return null;
        _credited.Add(orderNo);
        return new FlowStatsDelta(Purchasers: _credited.Count == 1 ? 1 : 0, Gmv: amount);
    }

    public void Saved(string? version) => Version = version;
}

/// <summary>The daily sizes of a segment.</summary>
public sealed record SegmentSizeOnDay(DateOnly Day, long Size);

public sealed record SegmentMemberPage(IReadOnlyList<string> OpenIds, string? ContinuationToken);

public interface IMemberFactsStore
{
    /// <summary>Facts rows are spread over this many partitions, so a back-fill reads them in parallel.</summary>
    int Partitions { get; }

    Task<MemberFacts?> GetAsync(string openId, CancellationToken cancellationToken);

    /// <summary>Inserts a new row or replaces under its version; false when another writer got there first.</summary>
    Task<bool> TrySaveAsync(MemberFacts facts, CancellationToken cancellationToken);

    /// <summary>The background back-fill's read: one page of one partition.</summary>
    Task<(IReadOnlyList<MemberFacts> Page, string? Next)> ReadPageAsync(int partition, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    Task ScheduleAsync(DateOnly day, string openId, CancellationToken cancellationToken);

    IAsyncEnumerable<IReadOnlyList<string>> ReadDueAsync(DateOnly day, CancellationToken cancellationToken);

    Task<DateOnly?> GetCursorAsync(CancellationToken cancellationToken);

    Task SetCursorAsync(DateOnly day, CancellationToken cancellationToken);
}

public interface ISegmentStore
{
    Task<bool> CreateAsync(SegmentDefinition segment, CancellationToken cancellationToken);

    Task<SegmentDefinition?> GetAsync(string segmentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<SegmentDefinition>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Inserts the membership row and counts it, in one batch; false when the member was already in.</summary>
    Task<bool> AddMemberAsync(string segmentId, string openId, CancellationToken cancellationToken);

    /// <summary>Deletes the membership row and counts it, in one batch; false when the member was not in.</summary>
    Task<bool> RemoveMemberAsync(string segmentId, string openId, CancellationToken cancellationToken);

    Task<bool> IsMemberAsync(string segmentId, string openId, CancellationToken cancellationToken);

    Task<long> SizeAsync(string segmentId, CancellationToken cancellationToken);

    /// <summary>One page: a range read of one of the segment's partitions.</summary>
    Task<SegmentMemberPage> ReadMembersAsync(string segmentId, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    Task RecordSizeAsync(string segmentId, DateOnly day, long size, CancellationToken cancellationToken);

    Task<IReadOnlyList<SegmentSizeOnDay>> HistoryAsync(string segmentId, CancellationToken cancellationToken);

    /// <summary>Marks one facts partition back-filled; returns how many are done.</summary>
    Task<int> MarkBackfilledAsync(string segmentId, int partition, CancellationToken cancellationToken);

    Task<int> BackfilledAsync(string segmentId, CancellationToken cancellationToken);
}

public interface IFlowStore
{
    Task<bool> CreateAsync(FlowDefinition flow, CancellationToken cancellationToken);

    Task<FlowDefinition?> GetAsync(string flowId, CancellationToken cancellationToken);

    Task<IReadOnlyList<FlowDefinition>> ListAsync(CancellationToken cancellationToken);

    Task<FlowRun?> GetRunAsync(string flowId, string openId, string occurrence, CancellationToken cancellationToken);

    /// <summary>Inserts the run and counts it entered and running, in one batch; false when it already exists.</summary>
    Task<bool> TryAddRunAsync(FlowRun run, CancellationToken cancellationToken);

    /// <summary>Saves the run under its version, with its counters' change in the same batch; false when the run changed meanwhile.</summary>
    Task<bool> TrySaveRunAsync(FlowRun run, FlowStatsDelta? delta, CancellationToken cancellationToken);

    Task<FlowStats> StatsAsync(string flowId, CancellationToken cancellationToken);
}

/// <summary>Messages counted per WeCom customer and period, because WeCom drops what is over its cap without saying so.</summary>
public interface ICustomerMessageCap
{
    /// <summary>Takes one of <paramref name="limit"/> sends in <paramref name="period"/>; a repeat of one send id takes nothing more and answers true.</summary>
    Task<bool> TryReserveAsync(string externalUserId, string period, int limit, string sendId, CancellationToken cancellationToken);

    Task<int> CountAsync(string externalUserId, string period, CancellationToken cancellationToken);
}
