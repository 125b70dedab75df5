using System.Globalization;
using WeStore.Domain.Common;

namespace WeStore.Domain.Loyalty;

/// <summary>Points granted together (one paid order), spent and expired as a unit. Key = expiry day + source, so keys sort by expiry.</summary>
public sealed record PointsLot(string Source, long Granted, long Remaining, DateOnly ExpiresOn, DateTimeOffset GrantedAt)
{
    public string Key => ExpiresOn.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "|" + Source;

    /// <summary>Past the end of its last day in Shanghai.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresOn < BusinessCalendar.DayOf(now);
}

public static class LedgerKinds
{
    public const string Earn = "earn";
    public const string Spend = "spend";
    public const string Release = "release";
    public const string Expire = "expire";
    public const string Clawback = "clawback";
    public const string Reward = "reward";
}

/// <summary>One change to the balance. The balance always equals the sum of the entries' deltas.</summary>
public sealed record PointsLedgerEntry(string Id, string Kind, long Delta, long BalanceAfter, string Reference, DateTimeOffset At);

/// <summary>Points taken from one lot by an order, so that closing the order can put them back where they came from.</summary>
public sealed record LotTake(string LotKey, long Points);

/// <summary>Thrown when an operation would break the account's rules (spending more than is available, say).</summary>
public sealed class PointsRuleException(string message) : InvalidOperationException(message);

/// <summary>
/// A member's points: the balance, the lots it is made of, and the changes not yet saved. Invariants, kept by every
/// method: balance = sum of lots' remaining points = sum of ledger deltas, and nothing goes below zero. Saving writes
/// the balance row under its version, so concurrent changes to one account are serialized.
/// </summary>
public sealed class PointsAccount
{
    private readonly SortedDictionary<string, PointsLot> _lots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _monthlySpend = new(StringComparer.Ordinal);
    private readonly List<PointsLedgerEntry> _newEntries = [];
    private bool _lotsChanged;

    private PointsAccount(string openId)
    {
        OpenId = openId;
    }

    public string OpenId { get; }

    public long Balance { get; private set; }

    /// <summary>Points a refund should have clawed back but could not (the member had already spent them).</summary>
    public long Shortfall { get; private set; }

    public string Tier { get; private set; } = "member";

    /// <summary>The storage version of the balance row; null for an account never saved.</summary>
    public string? Version { get; private set; }

    public IEnumerable<PointsLot> Lots => _lots.Values;

    /// <summary>Paid fen per Shanghai month (yyyyMM), the last 13 months at most: the rolling spend behind tiers.</summary>
    public IReadOnlyDictionary<string, long> MonthlySpend => _monthlySpend;

    public IReadOnlyList<PointsLedgerEntry> NewEntries => _newEntries;

    /// <summary>Lots changed or removed, or ledger entries added, since the account was read.</summary>
    public bool HasChanges => _lotsChanged || _newEntries.Count > 0;

    public static PointsAccount Open(string openId) => new(openId);

    public static PointsAccount Restore(string openId, long balance, long shortfall, string tier, IReadOnlyDictionary<string, long> monthlySpend, IEnumerable<PointsLot> lots, string? version)
    {
        var a = new PointsAccount(openId) { Balance = balance, Shortfall = shortfall, Tier = tier, Version = version };
        foreach (var (month, fen) in monthlySpend) a._monthlySpend[month] = fen;
        foreach (var lot in lots) a._lots[lot.Key] = lot;
        return a;
    }

    public PointsLot? LotFrom(string source) => _lots.Values.FirstOrDefault(l => l.Source == source);

    /// <summary>Points that can be spent now: the balance less lots past their day that the expiry run has not reached yet.</summary>
    public long AvailableAt(DateTimeOffset now) => _lots.Values.Where(l => !l.IsExpiredAt(now)).Sum(l => l.Remaining);

    public long RollingSpend(DateTimeOffset now)
    {
        var months = Enumerable.Range(0, 12).Select(i => MonthKey(now.ToOffset(BusinessCalendar.Offset).AddMonths(-i))).ToHashSet(StringComparer.Ordinal);
        return _monthlySpend.Where(m => months.Contains(m.Key)).Sum(m => m.Value);
    }

    /// <summary>A paid order earns at the member's tier before it; then its spend counts towards the tier.</summary>
    public long Earn(string orderNo, long paidFen, DateTimeOffset paidAt, LoyaltyRules rules)
    {
        ArgumentException.ThrowIfNullOrEmpty(orderNo);
        if (LotFrom(orderNo) is not null) return 0;
        var tier = rules.TierFor(RollingSpend(paidAt));
        var points = rules.PointsFor(paidFen, tier);
        var month = MonthKey(paidAt.ToOffset(BusinessCalendar.Offset));
        _monthlySpend[month] = _monthlySpend.GetValueOrDefault(month) + paidFen;
        TrimSpend(paidAt);
        RecomputeTier(paidAt, rules);
        if (points <= 0) return 0;
        Put(new PointsLot(orderNo, points, points, rules.ExpiryFor(paidAt), paidAt));
        Record(LedgerKinds.Earn, points, orderNo, paidAt);
        SettleShortfall(orderNo, paidAt);
        return points;
    }

    /// <summary>Points given for something other than a purchase (a referral): a lot of their own, expiring as earned points do. Once per source.</summary>
    public long Grant(string source, long points, DateTimeOffset at, LoyaltyRules rules)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (points <= 0 || LotFrom(source) is not null) return 0;
        Put(new PointsLot(source, points, points, rules.ExpiryFor(at), at));
        Record(LedgerKinds.Reward, points, source, at);
        SettleShortfall(source, at);
        return points;
    }

    /// <summary>Takes points for an order from the lots that expire first; lots past their day are skipped.</summary>
    public IReadOnlyList<LotTake> Spend(string orderNo, long points, DateTimeOffset now)
    {
        if (points <= 0) throw new PointsRuleException("Spend a positive number of points.");
        if (points > AvailableAt(now)) throw new PointsRuleException($"Only {AvailableAt(now)} points are available.");
        var takes = new List<LotTake>();
        var left = points;
        foreach (var lot in _lots.Values.Where(l => !l.IsExpiredAt(now) && l.Remaining > 0).ToList())
        {
            var take = Math.Min(left, lot.Remaining);
            Put(lot with { Remaining = lot.Remaining - take });
            takes.Add(new LotTake(lot.Key, take));
            left -= take;
            if (left == 0) break;
        }

        Record(LedgerKinds.Spend, -points, orderNo, now);
        return takes;
    }

    /// <summary>An order that closed unpaid gives its points back to the lots they came from; points whose lot has
    /// expired meanwhile come back and expire at once, so the ledger shows both.</summary>
    public void Release(string orderNo, IReadOnlyList<LotTake> takes, DateTimeOffset now)
    {
        var total = takes.Sum(t => t.Points);
        if (total <= 0) return;
        long expired = 0;
        foreach (var take in takes)
        {
            if (_lots.TryGetValue(take.LotKey, out var lot) && !lot.IsExpiredAt(now)) Put(lot with { Remaining = lot.Remaining + take.Points });
            else expired += take.Points;
        }

        // The expired share comes back with the rest, and expires at once.
        Balance += expired;
        Record(LedgerKinds.Release, total, orderNo, now);
        if (expired > 0)
        {
            Balance -= expired;
            Record(LedgerKinds.Expire, -expired, orderNo, now, suffix: "release");
        }

        SettleShortfall(orderNo, now);
    }

    /// <summary>A refund takes back what the order earned (pro rata for a partial refund): from the order's own lot
    /// first, then the lots that expire first. Never below zero; what cannot be taken is recorded as shortfall.</summary>
    public long ClawBack(string orderNo, string reference, long points, long refundedFen, DateTimeOffset paidAt, DateTimeOffset now)
    {
        var month = MonthKey(paidAt.ToOffset(BusinessCalendar.Offset));
        if (_monthlySpend.TryGetValue(month, out var spent)) _monthlySpend[month] = Math.Max(0, spent - refundedFen);
        if (points <= 0) return 0;
        var take = Math.Min(points, Balance);
        Shortfall += points - take;
        var left = take;
        var order = _lots.Values.Where(l => l.Source == orderNo).Concat(_lots.Values.Where(l => l.Source != orderNo)).ToList();
        foreach (var lot in order)
        {
            if (left == 0) break;
            var n = Math.Min(left, lot.Remaining);
            if (n == 0) continue;
            Put(lot with { Remaining = lot.Remaining - n });
            left -= n;
        }

        if (take > 0) Record(LedgerKinds.Clawback, -take, reference, now);
        return take;
    }

    /// <summary>Expires the given lots if their day has passed by <paramref name="lastDay"/>; returns the points expired.</summary>
    public long ExpireDue(IEnumerable<string> lotKeys, DateOnly lastDay, DateTimeOffset now, int maxLots = int.MaxValue)
    {
        long expired = 0;
        var done = 0;
        foreach (var key in lotKeys.Distinct(StringComparer.Ordinal).ToList())
        {
            if (done == maxLots) break;
            if (!_lots.TryGetValue(key, out var lot) || lot.ExpiresOn > lastDay) continue;
            done++;
            _lots.Remove(key);
            _lotsChanged = true;
            if (lot.Remaining > 0)
            {
                Balance -= lot.Remaining;
                expired += lot.Remaining;
                _newEntries.Add(new PointsLedgerEntry($"{LedgerKinds.Expire}-{key.Replace('|', '-')}", LedgerKinds.Expire, -lot.Remaining, Balance, lot.Source, now));
            }
        }

        return expired;
    }

    /// <summary>Whether any of the given lots is still held and due by <paramref name="lastDay"/> (left by a capped <see cref="ExpireDue"/>).</summary>
    public bool HasDue(IEnumerable<string> lotKeys, DateOnly lastDay)
        => lotKeys.Any(key => _lots.TryGetValue(key, out var lot) && lot.ExpiresOn <= lastDay);

    public IEnumerable<string> DueLotKeys(DateOnly lastDay) => _lots.Values.Where(l => l.ExpiresOn <= lastDay).Select(l => l.Key);

    public void RecomputeTier(DateTimeOffset now, LoyaltyRules rules) => Tier = rules.TierFor(RollingSpend(now)).Name;

    /// <summary>Points that come in (earned, given back) first pay off what a refund could not claw back, so a member
    /// cannot keep points by spending them on a pending order, refunding the order that earned them, then cancelling.</summary>
    private void SettleShortfall(string reference, DateTimeOffset now)
    {
        var settle = Math.Min(Shortfall, Balance);
        if (settle <= 0) return;
        var left = settle;
        foreach (var lot in _lots.Values.Where(l => l.Remaining > 0).ToList())
        {
            var n = Math.Min(left, lot.Remaining);
            Put(lot with { Remaining = lot.Remaining - n });
            left -= n;
            if (left == 0) break;
        }

        Shortfall -= settle;
        Record(LedgerKinds.Clawback, -settle, reference, now, suffix: "shortfall");
    }

    private void Put(PointsLot lot)
    {
        var before = _lots.TryGetValue(lot.Key, out var old) ? old.Remaining : 0;
        Balance += lot.Remaining - before;
        if (Balance < 0) throw new PointsRuleException("The balance would go below zero.");
        _lots[lot.Key] = lot;
        _lotsChanged = true;
    }

    /// <summary>The ledger entry for a change already applied to the balance.</summary>
    private void Record(string kind, long delta, string reference, DateTimeOffset at, string? suffix = null)
    {
        _newEntries.Add(new PointsLedgerEntry($"{kind}-{reference}" + (suffix is null ? string.Empty : "-" + suffix), kind, delta, Balance, reference, at));
    }

    private void TrimSpend(DateTimeOffset now)
    {
        var oldest = MonthKey(now.ToOffset(BusinessCalendar.Offset).AddMonths(-12));
        foreach (var month in _monthlySpend.Keys.Where(m => string.CompareOrdinal(m, oldest) < 0).ToList()) _monthlySpend.Remove(month);
    }

    private static string MonthKey(DateTimeOffset shanghai) => shanghai.ToString("yyyyMM", CultureInfo.InvariantCulture);
}
