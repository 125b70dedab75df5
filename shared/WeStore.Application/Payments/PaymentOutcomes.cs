namespace WeStore.Application.Payments;

/// <summary>What recording a paid transaction came to.</summary>
public enum RecordOutcome
{
    /// <summary>The order moved to paid and its order-paid event is durable.</summary>
    Paid,

    /// <summary>The order already carried this transaction: nothing more to do.</summary>
    AlreadyRecorded,

    /// <summary>Another attempt holds the payment's outbox entry and may still be running: retry later.</summary>
    InProgress,

    /// <summary>Money the order cannot take (after close, the wrong amount, a second transaction): flagged and refunded.</summary>
    StrayRefunded,
}
