namespace WeStore.Domain.WeCom;

public enum WelcomeStatus
{
    /// <summary>Not sent yet.</summary>
    Pending,

    Sent,

    /// <summary>WeCom answered 41051: the customer already chatted or the welcome was delivered. Done.</summary>
    AlreadySent,

    /// <summary>The 20 seconds the welcome code lives passed before it could be sent. Recorded, never retried.</summary>
    Missed,

    /// <summary>WeCom refused it for good (an errcode other than 41051/41096). Recorded, never retried.</summary>
    Refused,

    /// <summary>The event carried no WelcomeCode (they chatted before, or the console sends its own), or the way has no welcome.</summary>
    NotOffered,
}

/// <summary>
/// The handling of one add event (<c>change_external_contact</c>/<c>add_external_contact</c>), keyed by the event's
/// own identity (ChangeType, UserID, ExternalUserID, CreateTime): WeCom retries a push up to three times, and each copy
/// finds this record. Its lease says who is handling it; the steps done are marked, so a copy arriving after a crash
/// takes over and redoes only what is left, and the welcome is sent at most once (a resend after a crash finds 41051).
/// </summary>
public sealed class ContactAdd
{
    /// <summary>How long a welcome code lives (https://developer.work.weixin.qq.com/document/path/92137).</summary>
    public static readonly TimeSpan WelcomeWindow = TimeSpan.FromSeconds(20);

    private ContactAdd(string externalUserId, string userId, long createTime)
    {
        ExternalUserId = externalUserId;
        UserId = userId;
        CreateTime = createTime;
    }

    public string ExternalUserId { get; }

    public string UserId { get; }

    /// <summary>The event's CreateTime (Unix seconds): part of its identity, and when the welcome code began to live.</summary>
    public long CreateTime { get; }

    public string? State { get; private set; }

    public string? WelcomeCode { get; private set; }

    public WelcomeStatus Welcome { get; private set; }

    public int WelcomeAttempts { get; private set; }

    public DateTimeOffset? WelcomeAt { get; private set; }

    public string? LeaseHolder { get; private set; }

    public DateTimeOffset LeaseUntil { get; private set; }

    /// <summary>Every step after the welcome is done (contact fetched, relation, counter, link, tag).</summary>
    public bool Completed { get; private set; }

    public string? Version { get; private set; }

    public DateTimeOffset EventAt => DateTimeOffset.FromUnixTimeSeconds(CreateTime);

    public DateTimeOffset WelcomeDeadline => EventAt + WelcomeWindow;

    /// <summary>The event's identity as one string (also the once-marker of its counter addition).</summary>
    public string Id => $"{UserId}|{CreateTime}";

    public static ContactAdd Receive(string externalUserId, string userId, long createTime, string? state, string? welcomeCode, string holder, DateTimeOffset now, TimeSpan lease)
    {
        if (!ContactWayRules.IsValidExternalUserId(externalUserId)) throw new ArgumentException("Not a usable external_userid.", nameof(externalUserId));
        if (!ContactWayRules.IsValidUserId(userId)) throw new ArgumentException("Not a usable member userid.", nameof(userId));
        return new ContactAdd(externalUserId, userId, createTime)
        {
            State = state, WelcomeCode = welcomeCode, Welcome = string.IsNullOrEmpty(welcomeCode) ? WelcomeStatus.NotOffered : WelcomeStatus.Pending,
            LeaseHolder = holder, LeaseUntil = now + lease,
        };
    }

    public static ContactAdd Restore(
        string externalUserId, string userId, long createTime, string? state, string? welcomeCode, WelcomeStatus welcome, int welcomeAttempts,
        DateTimeOffset? welcomeAt, string? leaseHolder, DateTimeOffset leaseUntil, bool completed, string? version)
        => new(externalUserId, userId, createTime)
        {
            State = state, WelcomeCode = welcomeCode, Welcome = welcome, WelcomeAttempts = welcomeAttempts, WelcomeAt = welcomeAt,
            LeaseHolder = leaseHolder, LeaseUntil = leaseUntil, Completed = completed, Version = version,
        };

    /// <summary>Takes over an add whose handler's lease ran out; false while another holds a live lease, or when it is complete.</summary>
    public bool TryTakeOver(string holder, DateTimeOffset now, TimeSpan lease)
    {
        if (Completed) return false;
        if (LeaseHolder != holder && LeaseUntil > now) return false;
        (LeaseHolder, LeaseUntil) = (holder, now + lease);
        return true;
    }

    public bool WelcomeDue => Welcome == WelcomeStatus.Pending;

    public bool WelcomeExpired(DateTimeOffset now) => now > WelcomeDeadline;

    public void CountWelcomeAttempt() => WelcomeAttempts++;

    public void RecordWelcome(WelcomeStatus outcome, DateTimeOffset now)
    {
        if (Welcome != WelcomeStatus.Pending) throw new InvalidOperationException($"The welcome is already {Welcome}.");
        if (outcome == WelcomeStatus.Pending) throw new ArgumentException("A welcome outcome is final.", nameof(outcome));
        (Welcome, WelcomeAt) = (outcome, now);
        // The code is spent (or dead) either way; it is not kept.
        WelcomeCode = null;
    }

    /// <summary>The storage version after a save, so the next transition saves under it.</summary>
    public void Saved(string? version) => Version = version;

    public void Complete()
    {
        if (Welcome == WelcomeStatus.Pending) throw new InvalidOperationException("The welcome is still pending.");
        (Completed, LeaseHolder) = (true, null);
    }
}

public enum RelationStatus
{
    Active,

    /// <summary>The member deleted the customer, or the customer deleted or blocked the member.</summary>
    Lost,
}

/// <summary>
/// One follow relation (member userid, external_userid), with the channel it came through and the corp tags the store
/// set on it. WeCom sends no callback for API writes such as <c>mark_tag</c>, so the tags are mirrored here.
/// </summary>
public sealed class WeComRelation
{
    private readonly List<string> _tags = [];

    private WeComRelation(string externalUserId, string userId)
    {
        ExternalUserId = externalUserId;
        UserId = userId;
    }

    public string ExternalUserId { get; }

    public string UserId { get; }

    public string? State { get; private set; }

    public string Channel { get; private set; } = Attribution.Channels.Unknown;

    public string? UnionId { get; private set; }

    public RelationStatus Status { get; private set; }

    public DateTimeOffset AddedAt { get; private set; }

    public DateTimeOffset? LostAt { get; private set; }

    public IReadOnlyList<string> Tags => _tags;

    public string? Version { get; private set; }

    public static WeComRelation Added(string externalUserId, string userId, string? state, string channel, string? unionId, DateTimeOffset at)
        => new(externalUserId, userId) { State = state, Channel = channel, UnionId = unionId, Status = RelationStatus.Active, AddedAt = at };

    public static WeComRelation Restore(
        string externalUserId, string userId, string? state, string channel, string? unionId, RelationStatus status, DateTimeOffset addedAt, DateTimeOffset? lostAt,
        IEnumerable<string> tags, string? version)
    {
        var r = new WeComRelation(externalUserId, userId)
        {
            State = state, Channel = channel, UnionId = unionId, Status = status, AddedAt = addedAt, LostAt = lostAt, Version = version,
        };
        r._tags.AddRange(tags);
        return r;
    }

    /// <summary>An add applies unless it is older than what the relation already knows (events can arrive out of order).</summary>
    public bool ApplyAdd(string? state, string channel, string? unionId, DateTimeOffset at)
    {
        if (at < AddedAt || (LostAt is { } lost && at <= lost)) return false;
        (State, Channel, UnionId, Status, AddedAt, LostAt) = (state, channel, unionId ?? UnionId, RelationStatus.Active, at, null);
        return true;
    }

    /// <summary>The relation ends; false when it had already ended, or was made again after this deletion.</summary>
    public bool Lose(DateTimeOffset at)
    {
        if (Status == RelationStatus.Lost || at < AddedAt) return false;
        (Status, LostAt) = (RelationStatus.Lost, at);
        return true;
    }

    public void Saved(string? version) => Version = version;

    public bool AddTag(string tagId)
    {
        if (_tags.Contains(tagId, StringComparer.Ordinal)) return false;
        _tags.Add(tagId);
        return true;
    }
}

public interface IWeComContactStore
{
    Task<ContactAdd?> GetAddAsync(string externalUserId, string id, CancellationToken cancellationToken);

    /// <summary>Records a newly received add; false if a copy of the event got there first.</summary>
    Task<bool> TryCreateAddAsync(ContactAdd add, CancellationToken cancellationToken);

    /// <summary>Saves under the version read; false if another handler changed it first.</summary>
    Task<bool> TrySaveAddAsync(ContactAdd add, CancellationToken cancellationToken);

    Task<WeComRelation?> GetRelationAsync(string externalUserId, string userId, CancellationToken cancellationToken);

    /// <summary>Saves a relation under its version (inserts one never saved); false on a conflict.</summary>
    Task<bool> TrySaveRelationAsync(WeComRelation relation, CancellationToken cancellationToken);

    /// <summary>Records that an event was seen (ignored kinds, losses): false if it had been seen before.</summary>
    Task<bool> TryMarkEventAsync(string externalUserId, string eventId, string changeType, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>A small keyed value (tag ids, the card's media id), for the WeCom app's shared caches.</summary>
    Task<(string? Value, DateTimeOffset? At)> GetSettingAsync(string name, CancellationToken cancellationToken);

    Task SetSettingAsync(string name, string value, DateTimeOffset at, CancellationToken cancellationToken);
}
