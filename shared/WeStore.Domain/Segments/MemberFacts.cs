using System.Globalization;
using WeStore.Domain.Common;

namespace WeStore.Domain.Segments;

/// <summary>
/// A flow the member entered (one trigger occurrence), kept for a week so that a purchase can be credited to it.
/// <see cref="EventKey"/> names the facts event that entered it, so a retry of that event can finish starting it.
/// </summary>
public sealed record MemberEntry(string Kind, string Id, string Occurrence, string EventKey, DateTimeOffset At)
{
    public const string Flow = "flow";

    public static readonly TimeSpan CreditWindow = TimeSpan.FromDays(7);
}

/// <summary>Everything the facts row holds, as stored.</summary>
public sealed record MemberFactsSnapshot(
    string OpenId,
    DateTimeOffset? JoinedAt,
    string? AcquisitionChannel,
    string? AcquisitionCode,
    string Tier,
    long PointsBalance,
    IReadOnlyDictionary<string, long> MonthlySpend,
    IReadOnlyDictionary<string, DateTimeOffset> UnusedCoupons,
    IReadOnlyList<string> PaidOrders,
    int PaidOrderCount,
    DateTimeOffset? FirstPaidAt,
    DateTimeOffset? LastPaidAt,
    string? Province,
    DateTimeOffset? ProvinceAt,
    string? WecomStaff,
    string? WecomExternalUserId,
    bool WecomLinked,
    DateTimeOffset? WecomAt,
    bool OaFollower,
    DateTimeOffset? OaAt,
    IReadOnlyDictionary<string, long> Segments,
    IReadOnlyList<string> Pending,
    IReadOnlyList<MemberEntry> Entries,
    string? TaggedStage,
    DateOnly? DueDay,
    long Sequence,
    string? Version);

/// <summary>
/// One member's facts, kept current by the events that change them. Each change is a method that says whether
/// anything changed, and is idempotent for a redelivered event: a paid order counts once (by its number), a relation
/// change older than the one recorded is ignored. <see cref="Segments"/> is the member's membership as the facts
/// decide it, with the sequence at which each was entered; <see cref="Pending"/> the segments whose membership rows
/// still have to be made to match (written with the facts, cleared once they are).
/// </summary>
public sealed class MemberFacts
{
    /// <summary>Order numbers kept to count each paid order once; older ones can no longer be redelivered.</summary>
    public const int MaxPaidOrdersKept = 100;

    private readonly Dictionary<string, long> _monthlySpend = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _coupons = new(StringComparer.Ordinal);
    private readonly List<string> _paidOrders = [];
    private readonly Dictionary<string, long> _segments = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly List<MemberEntry> _entries = [];

    private MemberFacts(string openId) => OpenId = openId;

    public string OpenId { get; }

    public DateTimeOffset? JoinedAt { get; private set; }

    public string? AcquisitionChannel { get; private set; }

    public string? AcquisitionCode { get; private set; }

    public string Tier { get; private set; } = "member";

    public long PointsBalance { get; private set; }

    public IReadOnlyDictionary<string, long> MonthlySpend => _monthlySpend;

    public IReadOnlyDictionary<string, DateTimeOffset> UnusedCoupons => _coupons;

    public IReadOnlyList<string> PaidOrders => _paidOrders;

    public int PaidOrderCount { get; private set; }

    public DateTimeOffset? FirstPaidAt { get; private set; }

    public DateTimeOffset? LastPaidAt { get; private set; }

    public string? Province { get; private set; }

    public DateTimeOffset? ProvinceAt { get; private set; }

    public string? WecomStaff { get; private set; }

    public string? WecomExternalUserId { get; private set; }

    public bool WecomLinked { get; private set; }

    public DateTimeOffset? WecomAt { get; private set; }

    public bool OaFollower { get; private set; }

    public DateTimeOffset? OaAt { get; private set; }

    public IReadOnlyDictionary<string, long> Segments => _segments;

    public IReadOnlyCollection<string> Pending => _pending;

    public IReadOnlyList<MemberEntry> Entries => _entries;

    /// <summary>The lifecycle stage last mirrored to the contact's WeCom tags.</summary>
    public string? TaggedStage { get; private set; }

    /// <summary>The day the facts are due to be looked at again for what time alone changes.</summary>
    public DateOnly? DueDay { get; private set; }

    /// <summary>Counts the saved changes; a segment entered at sequence N is one trigger occurrence.</summary>
    public long Sequence { get; private set; }

    public string? Version { get; private set; }

    public static MemberFacts New(string openId) => new(openId);

    public static MemberFacts Restore(MemberFactsSnapshot s)
    {
        var f = new MemberFacts(s.OpenId)
        {
            JoinedAt = s.JoinedAt, AcquisitionChannel = s.AcquisitionChannel, AcquisitionCode = s.AcquisitionCode, Tier = s.Tier, PointsBalance = s.PointsBalance,
            PaidOrderCount = s.PaidOrderCount, FirstPaidAt = s.FirstPaidAt, LastPaidAt = s.LastPaidAt, Province = s.Province, ProvinceAt = s.ProvinceAt,
            WecomStaff = s.WecomStaff, WecomExternalUserId = s.WecomExternalUserId, WecomLinked = s.WecomLinked, WecomAt = s.WecomAt, OaFollower = s.OaFollower, OaAt = s.OaAt,
            TaggedStage = s.TaggedStage, DueDay = s.DueDay, Sequence = s.Sequence, Version = s.Version,
        };
        foreach (var (k, v) in s.MonthlySpend) f._monthlySpend[k] = v;
        foreach (var (k, v) in s.UnusedCoupons) f._coupons[k] = v;
        f._paidOrders.AddRange(s.PaidOrders);
        foreach (var (k, v) in s.Segments) f._segments[k] = v;
        f._pending.UnionWith(s.Pending);
        f._entries.AddRange(s.Entries);
        return f;
    }

    public MemberFactsSnapshot ToSnapshot() => new(
        OpenId, JoinedAt, AcquisitionChannel, AcquisitionCode, Tier, PointsBalance, new Dictionary<string, long>(_monthlySpend), new Dictionary<string, DateTimeOffset>(_coupons),
        [.. _paidOrders], PaidOrderCount, FirstPaidAt, LastPaidAt, Province, ProvinceAt, WecomStaff, WecomExternalUserId, WecomLinked, WecomAt, OaFollower, OaAt,
        new Dictionary<string, long>(_segments), [.. _pending], [.. _entries], TaggedStage, DueDay, Sequence, Version);

    public bool Join(DateTimeOffset joinedAt)
    {
        if (JoinedAt is { } j && j <= joinedAt) return false;
        JoinedAt = joinedAt;
        return true;
    }

    public bool SetAcquisition(string channel, string code)
    {
        if (AcquisitionChannel == channel && AcquisitionCode == code) return false;
        (AcquisitionChannel, AcquisitionCode) = (channel, code);
        return true;
    }

    /// <summary>A paid order: counted once; first/last paid dates and the province follow the latest payment.</summary>
    public bool RecordPaid(string orderNo, DateTimeOffset paidAt, string? province)
    {
        if (_paidOrders.Contains(orderNo, StringComparer.Ordinal)) return false;
        _paidOrders.Add(orderNo);
        if (_paidOrders.Count > MaxPaidOrdersKept) _paidOrders.RemoveAt(0);
        PaidOrderCount++;
        if (FirstPaidAt is null || paidAt < FirstPaidAt) FirstPaidAt = paidAt;
        if (LastPaidAt is null || paidAt > LastPaidAt) LastPaidAt = paidAt;
        if (!string.IsNullOrEmpty(province) && (ProvinceAt is null || paidAt >= ProvinceAt)) (Province, ProvinceAt) = (province, paidAt);
        return true;
    }

    public bool SetPoints(long balance, string tier, IReadOnlyDictionary<string, long> monthlySpend)
    {
        var same = PointsBalance == balance && Tier == tier && _monthlySpend.Count == monthlySpend.Count
            && monthlySpend.All(m => _monthlySpend.TryGetValue(m.Key, out var v) && v == m.Value);
        if (same) return false;
        (PointsBalance, Tier) = (balance, tier);
        _monthlySpend.Clear();
        foreach (var (k, v) in monthlySpend) _monthlySpend[k] = v;
        return true;
    }

    /// <summary>The member's unused coupons (id → end of validity), as the wallet holds them now.</summary>
    public bool SetCoupons(IReadOnlyDictionary<string, DateTimeOffset> unused)
    {
        if (_coupons.Count == unused.Count && unused.All(c => _coupons.TryGetValue(c.Key, out var v) && v == c.Value)) return false;
        _coupons.Clear();
        foreach (var (k, v) in unused) _coupons[k] = v;
        return true;
    }

    /// <summary>A WeCom relation made (or lost) at <paramref name="at"/>; an older change than the last one is ignored.</summary>
    public bool SetWeCom(string staff, string externalUserId, bool linked, DateTimeOffset at)
    {
        // Older than the last change, or an add in the same second as a loss already seen (the loss came last).
        if (WecomAt is { } last && (at < last || (at == last && linked && !WecomLinked))) return false;
        if (!linked && WecomLinked && WecomStaff != staff) return false; // another staff member's relation is the live one
        if (WecomStaff == staff && WecomExternalUserId == externalUserId && WecomLinked == linked) return false;
        (WecomStaff, WecomExternalUserId, WecomLinked, WecomAt) = (staff, externalUserId, linked, at);
        return true;
    }

    public bool SetFollower(bool following, DateTimeOffset at)
    {
        if (OaAt is { } last && (at < last || (at == last && following && !OaFollower))) return false;
        if (OaFollower == following && OaAt is not null) return false;
        (OaFollower, OaAt) = (following, at);
        return true;
    }

    public string StageAt(DateTimeOffset now, StageRules rules) => rules.StageOf(PaidOrderCount, LastPaidAt, now);

    public long Spend12mAt(DateTimeOffset now)
    {
        var local = now.ToOffset(BusinessCalendar.Offset);
        var months = Enumerable.Range(0, 12).Select(i => local.AddMonths(-i).ToString("yyyyMM", CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        return _monthlySpend.Where(m => months.Contains(m.Key)).Sum(m => m.Value);
    }

    public int UnusedCouponsAt(DateTimeOffset now) => _coupons.Values.Count(v => v >= now);

    /// <summary>Every fact by its API name, as it stands at <paramref name="now"/>.</summary>
    public IReadOnlyDictionary<string, FactValue> ValuesAt(DateTimeOffset now, StageRules rules) => new Dictionary<string, FactValue>(StringComparer.Ordinal)
    {
        [Facts.JoinedAt] = new(Date: JoinedAt),
        [Facts.AcquisitionChannel] = new(Text: AcquisitionChannel),
        [Facts.AcquisitionCode] = new(Text: AcquisitionCode),
        [Facts.Tier] = new(Text: Tier),
        [Facts.PointsBalance] = new(Number: PointsBalance),
        [Facts.UnusedCoupons] = new(Number: UnusedCouponsAt(now)),
        [Facts.PaidOrderCount] = new(Number: PaidOrderCount),
        [Facts.FirstPaidAt] = new(Date: FirstPaidAt),
        [Facts.LastPaidAt] = new(Date: LastPaidAt),
        [Facts.Spend12m] = new(Number: Spend12mAt(now)),
        [Facts.Province] = new(Text: Province),
        [Facts.WecomLinked] = new(Flag: WecomLinked),
        [Facts.WecomStaff] = new(Text: WecomLinked ? WecomStaff : null),
        [Facts.OaFollower] = new(Flag: OaFollower),
        [Facts.Stage] = new(Text: StageAt(now, rules)),
    };

    /// <summary>When what time alone changes (stage, a coupon's end, a month leaving the 12, a withinDays window) next changes.</summary>
    public DateTimeOffset? NextTimeChange(DateTimeOffset now, StageRules rules, IEnumerable<SegmentDefinition> segments)
    {
        var values = ValuesAt(now, rules);
        var candidates = new List<DateTimeOffset?> { rules.NextStageChange(PaidOrderCount, LastPaidAt, now) };
        candidates.Add(_coupons.Values.Where(v => v >= now).Select(v => (DateTimeOffset?)v.AddSeconds(1)).Min());
        var local = now.ToOffset(BusinessCalendar.Offset);
        var oldestInWindow = Enumerable.Range(0, 12).Select(i => local.AddMonths(-i)).LastOrDefault(m => _monthlySpend.ContainsKey(m.ToString("yyyyMM", CultureInfo.InvariantCulture)));
        if (oldestInWindow != default)
        {
            var leaves = oldestInWindow.AddMonths(12);
            candidates.Add(new DateTimeOffset(leaves.Year, leaves.Month, 1, 0, 0, 0, BusinessCalendar.Offset));
        }

        candidates.AddRange(segments.Select(s => s.NextChange(values, now)));
        return candidates.Where(c => c is not null).Min();
    }

    /// <summary>Sets the membership the facts decide for each segment; the ones that changed become pending. Returns the entered ones.</summary>
    public IReadOnlyList<string> Reevaluate(IEnumerable<SegmentDefinition> segments, DateTimeOffset now, StageRules rules)
    {
        var values = ValuesAt(now, rules);
        var entered = new List<string>();
        foreach (var segment in segments)
        {
            var inside = segment.Matches(values, now);
            if (inside == _segments.ContainsKey(segment.Id)) continue;
            if (inside)
            {
                _segments[segment.Id] = Sequence + 1;
                entered.Add(segment.Id);
            }
            else
            {
                _segments.Remove(segment.Id);
            }

            _pending.Add(segment.Id);
        }

        return entered;
    }

    /// <summary>A segment that no longer exists is forgotten.</summary>
    public bool Forget(string segmentId) => _segments.Remove(segmentId) | _pending.Remove(segmentId);

    public void ClearPending(IEnumerable<string> done) => _pending.ExceptWith(done);

    public void Enter(MemberEntry entry, DateTimeOffset now)
    {
        _entries.RemoveAll(e => e.At + MemberEntry.CreditWindow < now || (e.Id == entry.Id && e.Occurrence == entry.Occurrence));
        _entries.Add(entry);
        if (_entries.Count > 20) _entries.RemoveAt(0);
    }

    /// <summary>The entries a purchase at <paramref name="paidAt"/> is credited to (entered within the week before it).</summary>
    public IEnumerable<MemberEntry> EntriesCreditedBy(DateTimeOffset paidAt)
        => _entries.Where(e => e.At <= paidAt.AddSeconds(1) && paidAt - e.At <= MemberEntry.CreditWindow); // success times are whole seconds

    public void MarkTagged(string stage) => TaggedStage = stage;

    public void ScheduleFor(DateOnly? day) => DueDay = day;

    public void Saved(string? version)
    {
        Version = version;
        Sequence++;
    }
}
