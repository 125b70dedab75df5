namespace WeStore.Domain.Fulfilment;

public enum UploadState
{
    /// <summary>Shipped here, not yet (fully) told to WeChat: an upload is due or being retried.</summary>
    Pending,

    /// <summary>WeChat holds every package shipped so far (and, once the order is fully shipped, is_all_delivered).</summary>
    Uploaded,

    /// <summary>WeChat does not manage this Mini Program's shipping (is_trade_managed false): nothing to upload.</summary>
    NotManaged,

    /// <summary>The payment no longer needs an upload (refunded at WeChat before shipping).</summary>
    NotRequired,

    /// <summary>Failed for good: operators see it in the failures list and a metric, and must enter it by hand.</summary>
    Failed,
}

/// <summary>
/// The durable ledger of one payment's shipping upload to WeChat (a row beside the order, so writing it never fights
/// the order's own version). WeChat allows one update and one re-ship per payment, so the ledger remembers what was
/// sent: the mode and logistics type, the packages WeChat holds, whether is_all_delivered went, and every attempt.
/// </summary>
public sealed class ShippingUpload
{
    /// <summary>Attempts at a transient failure (busy, or the payment not yet ingested) before it counts as failed.</summary>
    public const int MaxRetries = 8;

    private ShippingUpload(string openId, string orderNo)
    {
        OpenId = openId;
        OrderNo = orderNo;
    }

    public string OpenId { get; }

    public string OrderNo { get; }

    public UploadState State { get; private set; }

    /// <summary>1 unified, 2 split (WeChat's delivery_mode), once the first upload went.</summary>
    public int? DeliveryMode { get; private set; }

    public int? LogisticsType { get; private set; }

    public IReadOnlyList<string> UploadedPackages { get; private set; } = [];

    /// <summary>Unified, or split with is_all_delivered true: WeChat considers the payment fully shipped.</summary>
    public bool Complete { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>Consecutive transient failures since the last success.</summary>
    public int Retries { get; private set; }

    public int? LastErrorCode { get; private set; }

    public string? LastErrorMessage { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The attempt that holds the ledger while it talks to WeChat, and until when: two never upload at once.</summary>
    public string? LeaseId { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }

    public string? Version { get; private set; }

    /// <summary>Nothing more will be uploaded for this payment.</summary>
    public bool IsFinal => State switch
    {
        UploadState.Uploaded => Complete,
        UploadState.NotManaged or UploadState.NotRequired or UploadState.Failed => true,
        _ => false,
    };

    public static ShippingUpload Start(string openId, string orderNo, DateTimeOffset now) => new(openId, orderNo) { State = UploadState.Pending, UpdatedAt = now };

    public static ShippingUpload Restore(
        string openId, string orderNo, UploadState state, int? deliveryMode, int? logisticsType, IReadOnlyList<string> uploadedPackages, bool complete,
        int attempts, int retries, int? lastErrorCode, string? lastErrorMessage, DateTimeOffset? lastAttemptAt, DateTimeOffset updatedAt, string? version,
        string? leaseId = null, DateTimeOffset? leaseUntil = null)
        => new(openId, orderNo)
        {
            LeaseId = leaseId, LeaseUntil = leaseUntil,
            State = state, DeliveryMode = deliveryMode, LogisticsType = logisticsType, UploadedPackages = uploadedPackages, Complete = complete,
            Attempts = attempts, Retries = retries, LastErrorCode = lastErrorCode, LastErrorMessage = lastErrorMessage, LastAttemptAt = lastAttemptAt,
            UpdatedAt = updatedAt, Version = version,
        };

    /// <summary>The storage version a save gave the ledger, so the next save is conditional on it.</summary>
    public void Saved(string version) => Version = version;

    /// <summary>Takes the ledger for one attempt; false while another attempt's lease runs.</summary>
    public bool TryLease(string attemptId, DateTimeOffset now, TimeSpan length)
    {
        if (LeaseId is not null && LeaseId != attemptId && LeaseUntil > now) return false;
        LeaseId = attemptId;
        LeaseUntil = now + length;
        return true;
    }

    public void ReleaseLease()
    {
        LeaseId = null;
        LeaseUntil = null;
    }

    /// <summary>More packages shipped: an upload is due again (unless the ledger is already final in a way that cannot change).</summary>
    public void Reopen(DateTimeOffset now)
    {
        if (State is UploadState.NotManaged or UploadState.NotRequired or UploadState.Failed) return;
        State = UploadState.Pending;
        UpdatedAt = now;
    }

    public void RecordUploaded(int deliveryMode, int logisticsType, IEnumerable<string> packages, bool complete, DateTimeOffset now)
    {
        Attempts++;
        Retries = 0;
        DeliveryMode = deliveryMode;
        LogisticsType = logisticsType;
        UploadedPackages = [.. UploadedPackages.Union(packages, StringComparer.Ordinal)];
        Complete = complete;
        State = UploadState.Uploaded;
        LastErrorCode = null;
        LastErrorMessage = null;
        LastAttemptAt = now;
        UpdatedAt = now;
    }

    /// <summary>A transient failure: false once the retries are spent (then the ledger has failed for good).</summary>
    public bool RecordRetryable(int errorCode, string? message, DateTimeOffset now)
    {
        Attempts++;
        Retries++;
        LastErrorCode = errorCode;
        LastErrorMessage = message;
        LastAttemptAt = now;
        UpdatedAt = now;
        if (Retries < MaxRetries) return true;
        State = UploadState.Failed;
        return false;
    }

    public void RecordFailed(int? errorCode, string? message, DateTimeOffset now)
    {
        Attempts++;
        State = UploadState.Failed;
        LastErrorCode = errorCode;
        LastErrorMessage = message;
        LastAttemptAt = now;
        UpdatedAt = now;
    }

    public void RecordNotManaged(DateTimeOffset now)
    {
        State = UploadState.NotManaged;
        UpdatedAt = now;
    }

    public void RecordNotRequired(int? errorCode, DateTimeOffset now)
    {
        State = UploadState.NotRequired;
        LastErrorCode = errorCode;
        UpdatedAt = now;
    }

    /// <summary>The delay before the next try after <see cref="Retries"/> transient failures: 10 s, doubling, at most 30 minutes.</summary>
    public TimeSpan NextDelay => TimeSpan.FromSeconds(Math.Min(1800, 10 * Math.Pow(2, Math.Max(0, Retries - 1))));
}

/// <summary>The ledgers, beside their orders in the members' partitions; failures also listed for operators.</summary>
public interface IShippingUploadRepository
{
    Task<ShippingUpload?> GetAsync(string openId, string orderNo, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces under the version read (and stamps the new one); false if it changed meanwhile.</summary>
    Task<bool> TrySaveAsync(ShippingUpload upload, CancellationToken cancellationToken);
}
