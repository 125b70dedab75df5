namespace WeStore.Domain.Attribution;

public enum TouchKind
{
    /// <summary>A scan of a Mini Program QR code: <see cref="Touch.SceneId"/> is its scene.</summary>
    QrCode,

    /// <summary>An add through a WeCom contact-me code: <see cref="Touch.SceneId"/> is its state, the staff the member added.</summary>
    WeComAdd,

    /// <summary>A follow of the Official Account through a follow code: <see cref="Touch.SceneId"/> is its scene_str.</summary>
    Follow,

    /// <summary>A member's share scene (a referral): counted for the report's referrer rows, never a member's touch.</summary>
    Referral,
}

/// <summary>
/// One touch of a member by a channel: a scan of a known QR code (how the Mini Program was entered, and when), or an
/// add of a staff member through a WeCom contact-me code.
/// </summary>
public sealed record Touch(string SceneId, string Channel, string Source, string? StaffId, int EntryScene, DateTimeOffset At, TouchKind Kind = TouchKind.QrCode)
{
    /// <summary>The state of an add through no code of ours (searched by phone, a shared card, a code without state).</summary>
    public const string NoState = "_none";

    public static Touch Of(QrCode code, int entryScene, DateTimeOffset at) => new(code.SceneId, code.Channel, code.Source, code.StaffId, entryScene, at);

    public static Touch OfContactAdd(string? state, string channel, string userId, DateTimeOffset at) => new(state ?? NoState, channel, "wecom", userId, 0, at, TouchKind.WeComAdd);

    public static Touch OfFollow(string? scene, string channel, DateTimeOffset at) => new(scene ?? NoState, channel, "officialAccount", null, 0, at, TouchKind.Follow);

    public bool IsWithin(TimeSpan window, DateTimeOffset now) => At + window >= now;
}

/// <summary>What an order copies from its member when it is placed: the touches still inside the attribution window.</summary>
public sealed record OrderAttribution(Touch? First, Touch? Last)
{
    public static readonly OrderAttribution None = new(null, null);

    public bool IsEmpty => First is null && Last is null;
}

/// <summary>
/// The member's journey right after one scan: the touch itself and the journey's first touch as it stood then (null
/// when this touch began the journey). An order settled later finds the step its placement time falls in.
/// </summary>
public sealed record JourneyStep(Touch Touch, Touch? First)
{
    public Touch JourneyFirst => First ?? Touch;
}

/// <summary>What one scan changed, which tells the report counters what to add.</summary>
public sealed record ScanOutcome(bool FirstVisitOfCodeToday, bool FirstVisitOfChannelToday, bool FirstVisitOfStaffToday, bool NewMember, string? CouponCampaignToIssue);

/// <summary>
/// A member's attribution, in the member's partition. <see cref="Acquisition"/> is the first touch ever and never
/// moves. <see cref="FirstTouch"/> and <see cref="LastTouch"/> describe the current journey: the first touch is kept
/// while it is inside the attribution window and replaced by the next scan once it falls out; the last touch always
/// moves. The codes, channels and staff seen today make "unique visitors" countable without reading anything else.
/// </summary>
public sealed class MemberAttribution
{
    /// <summary>Bounds on what one row remembers, so a member scanning in a loop cannot grow it without limit.</summary>
    public const int MaxVisitsPerDay = 100;
    public const int MaxScanCampaigns = 100;

    /// <summary>Steps kept: an order placed before the oldest kept step, and settled after this many more scans, gets none.</summary>
    public const int MaxJourneySteps = 20;

    private readonly HashSet<string> _visitedScenes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _visitedChannels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _visitedStaff = new(StringComparer.Ordinal);
    private readonly List<string> _scanCampaigns = [];
    private readonly List<JourneyStep> _journey = [];

    private MemberAttribution(string openId)
    {
        OpenId = openId;
    }

    public string OpenId { get; }

    public Touch? Acquisition { get; private set; }

    public Touch? FirstTouch { get; private set; }

    public Touch? LastTouch { get; private set; }

    /// <summary>The business day the visited sets belong to (yyyyMMdd).</summary>
    public string? VisitDay { get; private set; }

    public IReadOnlyCollection<string> VisitedScenes => _visitedScenes;

    public IReadOnlyCollection<string> VisitedChannels => _visitedChannels;

    public IReadOnlyCollection<string> VisitedStaff => _visitedStaff;

    /// <summary>Campaigns whose coupon a scan has already issued to this member.</summary>
    public IReadOnlyList<string> ScanCampaigns => _scanCampaigns;

    /// <summary>The most recent steps of the journey, oldest first: what the touches were at any recent moment.</summary>
    public IReadOnlyList<JourneyStep> Journey => _journey;

    /// <summary>The storage version this was read at; null for a member never seen scanning.</summary>
    public string? Version { get; private set; }

    public static MemberAttribution New(string openId) => new(openId);

    public static MemberAttribution Restore(
        string openId, Touch? acquisition, Touch? firstTouch, Touch? lastTouch, string? visitDay,
        IEnumerable<string> visitedScenes, IEnumerable<string> visitedChannels, IEnumerable<string> visitedStaff, IEnumerable<string> scanCampaigns, string? version,
        IEnumerable<JourneyStep>? journey = null)
    {
        var a = new MemberAttribution(openId)
        {
            Acquisition = acquisition, FirstTouch = firstTouch, LastTouch = lastTouch, VisitDay = visitDay, Version = version,
        };
        a._visitedScenes.UnionWith(visitedScenes);
        a._visitedChannels.UnionWith(visitedChannels);
        a._visitedStaff.UnionWith(visitedStaff);
        a._scanCampaigns.AddRange(scanCampaigns);
        a._journey.AddRange((journey ?? []).OrderBy(j => j.Touch.At));
        return a;
    }

    /// <param name="businessDay">The Shanghai day of <paramref name="now"/> (yyyyMMdd).</param>
    /// <param name="joinedThisSession">The member was created by the login whose session posts this scan.</param>
    public ScanOutcome RecordScan(QrCode code, int entryScene, DateTimeOffset now, string businessDay, TimeSpan window, bool joinedThisSession)
    {
        var touch = Touch.Of(code, entryScene, now);
        if (VisitDay != businessDay)
        {
            VisitDay = businessDay;
            _visitedScenes.Clear();
            _visitedChannels.Clear();
            _visitedStaff.Clear();
        }

        var firstOfCode = AddBounded(_visitedScenes, code.SceneId);
        var firstOfChannel = AddBounded(_visitedChannels, code.Channel);
        var firstOfStaff = code.StaffId is { } staff && AddBounded(_visitedStaff, staff);

        var newMember = joinedThisSession && Acquisition is null;
        Acquisition ??= touch;
        if (FirstTouch is null || !FirstTouch.IsWithin(window, now)) FirstTouch = touch;
        // Scans are stamped with the server's clock; a late-arriving one never moves the last touch backwards.
        if (LastTouch is null || LastTouch.At <= now) LastTouch = touch;
        Remember(new JourneyStep(touch, ReferenceEquals(FirstTouch, touch) ? null : FirstTouch), window);

        string? issue = null;
        if (code.CouponCampaignId is { } campaign && !_scanCampaigns.Contains(campaign))
        {
            if (_scanCampaigns.Count >= MaxScanCampaigns) _scanCampaigns.RemoveAt(0);
            _scanCampaigns.Add(campaign);
            issue = campaign;
        }

        return new ScanOutcome(firstOfCode, firstOfChannel, firstOfStaff, newMember, issue);
    }

    /// <summary>
    /// A WeCom add or an Official Account follow as a touch: it can begin the member's journey (and be their
    /// acquisition) like a scan, and an order placed after it carries it; it counts no visit. Returns whether it
    /// became the member's acquisition.
    /// </summary>
    public bool RecordRelationTouch(Touch touch, TimeSpan window)
    {
        if (touch.Kind == TouchKind.QrCode) throw new ArgumentException("A scan is recorded with RecordScan.", nameof(touch));
        var acquired = Acquisition is null;
        Acquisition ??= touch;
        if (FirstTouch is null || !FirstTouch.IsWithin(window, touch.At) || FirstTouch.At > touch.At) FirstTouch = touch;
        if (LastTouch is null || LastTouch.At <= touch.At) LastTouch = touch;
        var first = _journey.LastOrDefault(j => j.Touch.At <= touch.At) is { } before && before.JourneyFirst.IsWithin(window, touch.At) ? before.JourneyFirst : null;
        Remember(new JourneyStep(touch, first), window);
        return acquired;
    }

    /// <summary>
    /// The touches an order placed at <paramref name="placedAt"/> carries: the journey as it stood then (the last step
    /// at or before that moment), keeping only the touches inside the window at that moment. Orders are settled after
    /// they are placed (paid, closed), and scans in between do not move what they carry.
    /// </summary>
    public OrderAttribution AttributionAt(DateTimeOffset placedAt, TimeSpan window)
    {
        Touch? first, last;
        if (_journey.LastOrDefault(j => j.Touch.At <= placedAt) is { } step)
        {
            (first, last) = (step.JourneyFirst, step.Touch);
        }
        else if (_journey.Count == 0 && LastTouch is { } l && l.At <= placedAt)
        {
            (first, last) = (FirstTouch, l); // a row written before journeys were kept
        }
        else
        {
            return OrderAttribution.None;
        }

        first = first is not null && first.IsWithin(window, placedAt) ? first : null;
        last = last.IsWithin(window, placedAt) ? last : null;
        return first is null && last is null ? OrderAttribution.None : new OrderAttribution(first ?? last, last ?? first);
    }

    /// <summary>Keeps the newest steps, and none older than an order could still be waiting to settle on.</summary>
    private void Remember(JourneyStep step, TimeSpan window)
    {
        var at = _journey.FindLastIndex(j => j.Touch.At <= step.Touch.At) + 1;
        _journey.Insert(at, step);
        var horizon = step.Touch.At - window - SettleHorizon;
        _journey.RemoveAll(j => j.Touch.At < horizon);
        if (_journey.Count > MaxJourneySteps) _journey.RemoveRange(0, _journey.Count - MaxJourneySteps);
    }

    /// <summary>How long after placement an order may still settle: WeChat Pay retries a notification for about a day.</summary>
    private static readonly TimeSpan SettleHorizon = TimeSpan.FromDays(2);

    private static bool AddBounded(HashSet<string> set, string value) => set.Count < MaxVisitsPerDay && set.Add(value);
}

public interface IMemberAttributionRepository
{
    Task<MemberAttribution?> GetAsync(string openId, CancellationToken cancellationToken);

    /// <summary>Saves under the version it was read at (or as new); false if another scan saved first.</summary>
    Task<bool> TrySaveAsync(MemberAttribution attribution, CancellationToken cancellationToken);

    /// <summary>
    /// Saves together with a once-marker in the member's partition (one batch): a touch that must be applied once
    /// (a WeCom add, linked by two paths at once) is applied once. <paramref name="acquired"/> is kept on the marker.
    /// </summary>
    Task<OnceSave> TrySaveOnceAsync(MemberAttribution attribution, string marker, bool acquired, CancellationToken cancellationToken);
}

/// <summary>The outcome of a once-only save; <see cref="Acquired"/> is what the marker recorded when it was first saved.</summary>
public sealed record OnceSave(bool Saved, bool AlreadyDone, bool Acquired)
{
    public static readonly OnceSave Conflict = new(false, false, false);
}
