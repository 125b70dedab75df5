namespace WeStore.Domain.Reconciliation;

public enum LedgerKind
{
    Payment,
    Refund,
}

/// <summary>
/// The store's own book of money moved at WeChat Pay, by the Shanghai day it moved (a payment's success time, a
/// refund's request time, as WeChat Pay's bill dates them): what a day's reconciliation compares the bill with.
/// <paramref name="Key"/> is the out_trade_no of a payment or the out_refund_no of a refund; the state is WeChat
/// Pay's word for it (SUCCESS; a refund's PROCESSING, SUCCESS, CLOSED or ABNORMAL).
/// </summary>
public sealed record LedgerEntry(LedgerKind Kind, string Key, string OutTradeNo, long Amount, string State, DateTimeOffset At, string? TransactionId = null);

public interface IPaymentLedger
{
    /// <summary>Records or updates an entry (one row per key in its day).</summary>
    Task RecordAsync(LedgerEntry entry, CancellationToken cancellationToken);

    /// <summary>A day's entries, streamed from the day's partition.</summary>
    IAsyncEnumerable<LedgerEntry> ReadDayAsync(DateOnly day, CancellationToken cancellationToken);
}

public enum DifferenceKind
{
    InBillNotInStore,
    InStoreNotInBill,
    AmountDiffers,
    StateDiffers,
}

/// <summary>One line the bill and the store disagree on, naming its order.</summary>
public sealed record ReconciliationDifference(
    DifferenceKind Kind, LedgerKind Entry, string Key, string OrderNo, long? StoreAmount, long? BillAmount, string? StoreState, string? BillState);

public enum ReconciliationOutcome
{
    /// <summary>The bill was read and compared: see the matched figures and the differences.</summary>
    Compared,

    /// <summary>WeChat Pay has no bill for the day (no trade): every store entry of the day is a difference.</summary>
    NoBill,

    /// <summary>The file's SHA1 is not the one WeChat Pay gave: refused, not parsed.</summary>
    HashMismatch,

    /// <summary>The bill's summary row does not add up to its detail lines: refused as corrupt.</summary>
    SummaryMismatch,
}

/// <summary>What one day's reconciliation found.</summary>
public sealed record DayReconciliation(
    DateOnly Day, ReconciliationOutcome Outcome, int BillLines, int StoreEntries, int Matched, long MatchedPayments, long MatchedRefunds,
    IReadOnlyList<ReconciliationDifference> Differences, string? BillHash, string? Archive, DateTimeOffset RanAt)
{
    public bool Clean => (Outcome is ReconciliationOutcome.Compared or ReconciliationOutcome.NoBill) && Differences.Count == 0;
}

/// <summary>The results, one per day; a re-run replaces the day's result whole.</summary>
public interface IReconciliationStore
{
    Task SaveAsync(DayReconciliation result, CancellationToken cancellationToken);

    Task<DayReconciliation?> GetAsync(DateOnly day, CancellationToken cancellationToken);
}

/// <summary>The raw bills as downloaded (gzip), kept beyond WeChat Pay's three months.</summary>
public interface IBillArchive
{
    /// <summary>Stores the day's file (replacing an earlier copy) and answers its name, <c>bills/yyyy-MM-dd.csv.gz</c>.</summary>
    Task<string> SaveAsync(DateOnly day, Stream gzip, CancellationToken cancellationToken);
}
