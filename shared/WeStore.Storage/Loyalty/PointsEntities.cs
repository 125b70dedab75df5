using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Loyalty;

namespace WeStore.Storage.Loyalty;

/// <summary>
/// Points rows in the member's partition: <c>points</c> (balance, tier, monthly spend, and the lots as JSON, so the
/// whole account is one point read), <c>points|op|{marker}</c> (operations done once), and
/// <c>points|~log|{inverted ticks}|{id}</c> (the ledger, newest first). Lots live in the balance row rather than rows of
/// their own because every operation needs all of them: a point read is cheaper than a range query in Azure, and the
/// storage emulator answers range queries by scanning the whole table. A lot is about 120 bytes; a string property
/// holds 64 KiB, so the lots are split over up to <see cref="MaxLotChunks"/> properties (thousands of lots).
/// </summary>
internal static class PointsEntities
{
    public const string BalanceRow = "points";
    public const int MaxLotChunks = 12;
    private const int LotChunkChars = 30_000;
    public const string MarkerPrefix = "points|op|";
    public const string LedgerPrefix = "points|~log|";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The batch operations that save an account's changes: lots, ledger entries, then the balance row
    /// under its version (it is the account's lock: every change rewrites it).</summary>
    public static List<TableTransactionAction> Actions(PointsAccount a)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var e in a.NewEntries) actions.Add(new(TableTransactionActionType.Add, Ledger(a.OpenId, e)));
        var balance = new TableEntity(a.OpenId, BalanceRow)
        {
            ["Balance"] = a.Balance,
            ["Shortfall"] = a.Shortfall,
            ["Tier"] = a.Tier,
            ["MonthlySpend"] = JsonSerializer.Serialize(a.MonthlySpend, Json),
        };
        var lots = JsonSerializer.Serialize(a.Lots.Select(l => new LotJson(l.Source, l.Granted, l.Remaining, l.ExpiresOn, l.GrantedAt)), Json);
        var chunks = (lots.Length + LotChunkChars - 1) / LotChunkChars;
        if (chunks > MaxLotChunks) throw new InvalidOperationException($"Member {a.OpenId} holds more lots than one row can keep.");
        for (var i = 0; i < MaxLotChunks; i++)
        {
            // Replace mode drops properties that are not sent, so unused chunks simply disappear.
            if (i < chunks) balance["Lots" + i] = lots.Substring(i * LotChunkChars, Math.Min(LotChunkChars, lots.Length - (i * LotChunkChars)));
        }

        // Written under its version: the balance row is the account's lock, and every change rewrites it.
        actions.Add(a.Version is null
            ? new(TableTransactionActionType.Add, balance)
            : new(TableTransactionActionType.UpdateReplace, balance, new ETag(a.Version)));
        return actions;
    }

    public static TableEntity Marker(string openId, string marker) => new(openId, MarkerPrefix + marker);

    public static PointsAccount Read(string openId, TableEntity? balance)
    {
        if (balance is null) return PointsAccount.Open(openId);
        var spend = balance.GetString("MonthlySpend") is { Length: > 0 } json ? JsonSerializer.Deserialize<Dictionary<string, long>>(json, Json)! : [];
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < MaxLotChunks && balance.GetString("Lots" + i) is { } chunk; i++) text.Append(chunk);
        var lots = text.Length == 0 ? [] : JsonSerializer.Deserialize<List<LotJson>>(text.ToString(), Json)!;
        return PointsAccount.Restore(openId, balance.GetInt64("Balance") ?? 0, balance.GetInt64("Shortfall") ?? 0, balance.GetString("Tier") ?? "member",
            spend, lots.Select(l => new PointsLot(l.Source, l.Granted, l.Remaining, l.ExpiresOn, l.GrantedAt)), balance.ETag.ToString());
    }

    public static PointsLedgerEntry ReadLedger(TableEntity e) => new(
        e.GetString("EntryId") ?? string.Empty, e.GetString("Kind") ?? string.Empty, e.GetInt64("Delta") ?? 0, e.GetInt64("BalanceAfter") ?? 0,
        e.GetString("Reference") ?? string.Empty, e.GetDateTimeOffset("At") ?? default);

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

    private sealed record LotJson(string Source, long Granted, long Remaining, DateOnly ExpiresOn, DateTimeOffset GrantedAt);
}
