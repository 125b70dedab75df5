namespace WeStore.Application.Loyalty;

public sealed record PointsLotView(long Points, DateOnly ExpiresOn, string Source);

public sealed record PointsLedgerView(string Kind, long Delta, long BalanceAfter, string Reference, DateTimeOffset At);

public sealed record PointsView(
    long Balance, long Available, string Tier, long RollingSpend, IReadOnlyList<PointsLotView> ExpiringWithin30Days,
    IReadOnlyList<PointsLedgerView> Ledger, string? ContinuationToken);

/// <summary>What one day's expiry (or reminder) fan-out sent.</summary>
public sealed record FanOutResult(string Day, int Lots, int Members, int Messages);
