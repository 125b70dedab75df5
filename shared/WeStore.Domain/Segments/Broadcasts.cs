namespace WeStore.Domain.Segments;

public static class SkipReasons
{
    /// <summary>The member has no WeCom relation to send through.</summary>
    public const string NoWeCom = "noWeCom";

    /// <summary>The member deleted the staff member (or was deleted).</summary>
    public const string ContactLost = "contactLost";

    /// <summary>The customer already received as many mass messages as WeCom allows in the period.</summary>
    public const string Cap = "cap";

    public static readonly IReadOnlyList<string> All = [NoWeCom, ContactLost, Cap];
}

public static class BroadcastStages
{
    public const string Selecting = "selecting";
    public const string Sending = "sending";
}

public sealed record BroadcastDefinition(string Id, string SegmentId, string Text, string? MiniProgramTitle, string? MiniProgramPage, string? CouponCampaignId, DateTimeOffset CreatedAt);

/// <summary>
/// A broadcast's progress through its segment: the page it is at, who was targeted and who skipped and why, and the
/// staff members who got tasks. A page is counted once: <see cref="RecordPage"/> refuses a page that is not the
/// current one, so a redelivered page message changes nothing.
/// </summary>
public sealed class Broadcast
{
    private readonly Dictionary<string, long> _skipped = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _staff = new(StringComparer.Ordinal);

    private Broadcast(BroadcastDefinition definition) => Definition = definition;

    public BroadcastDefinition Definition { get; }

    public string Stage { get; private set; } = BroadcastStages.Selecting;

    /// <summary>The segment page to read next (null for the first).</summary>
    public string? Cursor { get; private set; }

    public int Pages { get; private set; }

    public long Targeted { get; private set; }

    public IReadOnlyDictionary<string, long> Skipped => _skipped;

    public IReadOnlyCollection<string> Staff => _staff;

    public string? Version { get; private set; }

    public static Broadcast Create(BroadcastDefinition definition) => new(definition);

    public static Broadcast Restore(BroadcastDefinition definition, string stage, string? cursor, int pages, long targeted, IReadOnlyDictionary<string, long> skipped, IEnumerable<string> staff, string? version)
    {
        var b = new Broadcast(definition) { Stage = stage, Cursor = cursor, Pages = pages, Targeted = targeted, Version = version };
        foreach (var (k, v) in skipped) b._skipped[k] = v;
        b._staff.UnionWith(staff);
        return b;
    }

    public bool IsAt(int page) => Stage == BroadcastStages.Selecting && Pages == page;

    public void RecordPage(int page, string? next, int targeted, IReadOnlyDictionary<string, int> skipped, IEnumerable<string> staff)
    {
        if (!IsAt(page)) throw new InvalidOperationException($"Page {page} is not the broadcast's current page ({Pages}).");
        Pages++;
        Cursor = next;
        Targeted += targeted;
        foreach (var (reason, n) in skipped) _skipped[reason] = _skipped.GetValueOrDefault(reason) + n;
        _staff.UnionWith(staff);
        if (next is null) Stage = BroadcastStages.Sending;
    }

    public void Saved(string? version) => Version = version;
}

public sealed record BroadcastRecipient(string OpenId, string Staff, string ExternalUserId);

public static class BroadcastTaskStates
{
    /// <summary>Written before add_msg_template is called: a task found in this state after its lease was never confirmed sent.</summary>
    public const string Calling = "calling";

    public const string Created = "created";

    /// <summary>The caller died mid-call; it is not called again, since WeCom may have made the task (at most once).</summary>
    public const string Uncertain = "uncertain";

    public const string Refused = "refused";
}

/// <summary>One add_msg_template call: one staff member, one chunk of at most 10,000 customers, and what became of it.</summary>
public sealed record BroadcastTask(
    string Staff, int Chunk, string State, DateTimeOffset At, int Recipients, string? MsgId = null, int Failed = 0, int? ErrorCode = null,
    bool Confirmed = false, int Sent = 0, int NotFriend = 0, int AlreadyReceived = 0, int Unsent = 0, int Follows = 0, string? Version = null);

public interface IBroadcastStore
{
    Task<bool> CreateAsync(Broadcast broadcast, CancellationToken cancellationToken);

    Task<Broadcast?> GetAsync(string broadcastId, CancellationToken cancellationToken);

    Task<bool> TrySaveAsync(Broadcast broadcast, CancellationToken cancellationToken);

    /// <summary>Broadcasts created since <paramref name="since"/> (the ones a purchase can still be credited to).</summary>
    Task<IReadOnlyList<BroadcastDefinition>> ListSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    Task AddRecipientsAsync(string broadcastId, IReadOnlyList<BroadcastRecipient> recipients, CancellationToken cancellationToken);

    Task AddSkipsAsync(string broadcastId, IReadOnlyList<(string OpenId, string Reason)> skips, CancellationToken cancellationToken);

    /// <summary>One staff member's customers, in pages of one partition.</summary>
    Task<(IReadOnlyList<string> ExternalUserIds, string? Next)> ReadRecipientsAsync(string broadcastId, string staff, string? continuationToken, int max, CancellationToken cancellationToken);

    Task<BroadcastTask?> GetTaskAsync(string broadcastId, string staff, int chunk, CancellationToken cancellationToken);

    Task<bool> TrySaveTaskAsync(string broadcastId, BroadcastTask task, CancellationToken cancellationToken);

    Task<IReadOnlyList<BroadcastTask>> ListTasksAsync(string broadcastId, CancellationToken cancellationToken);

    /// <summary>Credits an order to the recipient, once per order, with the staff partition's counters; false when the member was not a recipient.</summary>
    Task<bool> CreditAsync(string broadcastId, string staff, string externalUserId, string orderNo, long amount, CancellationToken cancellationToken);

    Task<(long Purchasers, long Gmv)> ConversionsAsync(string broadcastId, IEnumerable<string> staff, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> SkipsAsync(string broadcastId, int max, CancellationToken cancellationToken);
}
