using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Loyalty;

namespace WeStore.Storage.Loyalty;

/// <summary>
/// Points rows in the member's partition: <c>points</c> (balance, tier, monthly spend), <c>points|lot|{yyyyMMdd}|{source}</c>
/// (sorted by expiry, so a range read gives them in spending order), <c>points|op|{marker}</c> (operations done once),
/// and <c>points|~log|{inverted ticks}|{id}</c> (the ledger, newest first).
/// </summary>
internal static class PointsEntities
{
    public const string BalanceRow = "points";
    public const string LotPrefix = "points|lot|";
    public const string MarkerPrefix = "points|op|";
    public const string LedgerPrefix = "points|~log|";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The batch operations that save an account's changes: lots, ledger entries, then the balance row
    /// under its version (it is the account's lock: every change rewrites it).</summary>
    public static List<TableTransactionAction> Actions(PointsAccount a)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var lot in a.ChangedLots) actions.Add(new(TableTransactionActionType.UpsertReplace, Lot(a.OpenId, lot)));
        foreach (var key in a.DeletedLots) actions.Add(new(TableTransactionActionType.Delete, new TableEntity(a.OpenId, LotPrefix + key), ETag.All));
        foreach (var e in a.NewEntries) actions.Add(new(TableTransactionActionType.Add, Ledger(a.OpenId, e)));
        var balance = new TableEntity(a.OpenId, BalanceRow)
        {
            ["Balance"] = a.Balance,
            ["Shortfall"] = a.Shortfall,
            ["Tier"] = a.Tier,
            ["MonthlySpend"] = JsonSerializer.Serialize(a.MonthlySpend, Json),
        };
        actions.Add(a.Version is null
            ? new(TableTransactionActionType.Add, balance)
            : new(TableTransactionActionType.UpdateReplace, balance, new ETag(a.Version)));
        return actions;
    }

    public static TableEntity Marker(string openId, string marker) => new(openId, MarkerPrefix + marker);

    public static PointsAccount Read(string openId, IEnumerable<TableEntity> rows)
    {
        TableEntity? balance = null;
        var lots = new List<PointsLot>();
        foreach (var row in rows)
        {
            if (row.RowKey == BalanceRow) balance = row;
            else if (row.RowKey.StartsWith(LotPrefix, StringComparison.Ordinal)) lots.Add(ReadLot(row));
        }

        if (balance is null) return PointsAccount.Open(openId);
        var spend = balance.GetString("MonthlySpend") is { Length: > 0 } json ? JsonSerializer.Deserialize<Dictionary<string, long>>(json, Json)! : [];
        return PointsAccount.Restore(openId, balance.GetInt64("Balance") ?? 0, balance.GetInt64("Shortfall") ?? 0, balance.GetString("Tier") ?? "member",
            spend, lots, balance.ETag.ToString());
    }

    public static PointsLedgerEntry ReadLedger(TableEntity e) => new(
        e.GetString("EntryId") ?? string.Empty, e.GetString("Kind") ?? string.Empty, e.GetInt64("Delta") ?? 0, e.GetInt64("BalanceAfter") ?? 0,
        e.GetString("Reference") ?? string.Empty, e.GetDateTimeOffset("At") ?? default);

    private static TableEntity Lot(string openId, PointsLot lot) => new(openId, LotPrefix + lot.Key)
    {
        ["Source"] = lot.Source,
        ["Granted"] = lot.Granted,
        ["Remaining"] = lot.Remaining,
        ["ExpiresOn"] = lot.ExpiresOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["GrantedAt"] = lot.GrantedAt,
    };

    private static PointsLot ReadLot(TableEntity e) => new(
        e.GetString("Source") ?? string.Empty, e.GetInt64("Granted") ?? 0, e.GetInt64("Remaining") ?? 0,
        DateOnly.ParseExact(e.GetString("ExpiresOn")!, "yyyy-MM-dd", CultureInfo.InvariantCulture), e.GetDateTimeOffset("GrantedAt") ?? default);

    private static TableEntity Ledger(string openId, PointsLedgerEntry e)
        => new(openId, $"{LedgerPrefix}{(DateTimeOffset.MaxValue.UtcTicks - e.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}|{e.Id}")
        {
            ["EntryId"] = e.Id,
            ["Kind"] = e.Kind,
            ["Delta"] = e.Delta,
            ["BalanceAfter"] = e.BalanceAfter,
            ["Reference"] = e.Reference,
            ["At"] = e.At,
        };
}
