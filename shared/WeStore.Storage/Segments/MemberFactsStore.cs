using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.Segments;

namespace WeStore.Storage.Segments;

/// <summary>
/// <c>MemberFacts</c>: partition <c>f{0-f}</c> by a hash of the openid, row = openid, so a member's facts are one
/// point read and a back-fill reads the 16 partitions side by side. <c>FactsDue</c>: partition = the Shanghai day a
/// member's facts change with time alone (yyyyMMdd), row = openid; partition <c>cursor</c> holds the last day run.
/// </summary>
internal sealed class MemberFactsStore(StorageClients clients) : IMemberFactsStore
{
    private const string Row = "facts";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public int Partitions => 16;

    public static string PartitionOf(string openId) => "f" + (SHA256.HashData(Encoding.UTF8.GetBytes(openId))[0] & 0x0f).ToString("x", CultureInfo.InvariantCulture);

    public async Task<MemberFacts?> GetAsync(string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.MemberFacts, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(openId), openId, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e ? Read(e) : null;
    }

    public async Task<bool> TrySaveAsync(MemberFacts facts, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.MemberFacts, cancellationToken);
        var s = facts.ToSnapshot();
        var entity = new TableEntity(PartitionOf(s.OpenId), s.OpenId)
        {
            ["Kind"] = Row,
            ["JoinedAt"] = s.JoinedAt is { } j ? TableDates.AtLeastEarliest(j) : null,
            ["AcquisitionChannel"] = s.AcquisitionChannel,
            ["AcquisitionCode"] = s.AcquisitionCode,
            ["Tier"] = s.Tier,
            ["PointsBalance"] = s.PointsBalance,
            ["MonthlySpend"] = JsonSerializer.Serialize(s.MonthlySpend, Json),
            ["UnusedCoupons"] = JsonSerializer.Serialize(s.UnusedCoupons, Json),
            ["PaidOrders"] = string.Join(' ', s.PaidOrders),
            ["PaidOrderCount"] = s.PaidOrderCount,
            ["FirstPaidAt"] = s.FirstPaidAt,
            ["LastPaidAt"] = s.LastPaidAt,
            ["Province"] = s.Province,
            ["ProvinceAt"] = s.ProvinceAt,
            ["WecomStaff"] = s.WecomStaff,
            ["WecomExternalUserId"] = s.WecomExternalUserId,
            ["WecomLinked"] = s.WecomLinked,
            ["WecomAt"] = s.WecomAt is { } w ? TableDates.AtLeastEarliest(w) : null,
            ["OaFollower"] = s.OaFollower,
            ["OaAt"] = s.OaAt is { } o ? TableDates.AtLeastEarliest(o) : null,
            ["Segments"] = JsonSerializer.Serialize(s.Segments, Json),
            ["Pending"] = string.Join(' ', s.Pending),
            ["Entries"] = JsonSerializer.Serialize(s.Entries, Json),
            ["TaggedStage"] = s.TaggedStage,
            ["DueDay"] = s.DueDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Sequence"] = s.Sequence + 1,
        };
        if (await ConditionalWrite.TryAsync(table, entity, s.Version, cancellationToken) is not { } etag) return false;
        facts.Saved(etag);
        return true;
    }

    public async Task<(IReadOnlyList<MemberFacts> Page, string? Next)> ReadPageAsync(int partition, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.MemberFacts, cancellationToken);
        var pk = "f" + partition.ToString("x", CultureInfo.InvariantCulture);
        var pages = table.QueryAsync<TableEntity>(e => e.PartitionKey == pk, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return ([.. page.Values.Select(Read)], page.ContinuationToken);
        }

        return ([], null);
    }

    public async Task ScheduleAsync(DateOnly day, string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FactsDue, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(BusinessCalendar.DayKey(day), openId), TableUpdateMode.Replace, cancellationToken);
    }

    public async IAsyncEnumerable<IReadOnlyList<string>> ReadDueAsync(DateOnly day, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FactsDue, cancellationToken);
        var pk = BusinessCalendar.DayKey(day);
        await foreach (var page in table.QueryAsync<TableEntity>(e => e.PartitionKey == pk, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            yield return [.. page.Values.Select(v => v.RowKey)];
        }
    }

    public async Task<DateOnly?> GetCursorAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FactsDue, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>("cursor", "due", cancellationToken: cancellationToken);
        return row.HasValue && DateOnly.TryParseExact(row.Value!.GetString("Day"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    public async Task SetCursorAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.FactsDue, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity("cursor", "due") { ["Day"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, TableUpdateMode.Replace, cancellationToken);
    }

    private static MemberFacts Read(TableEntity e) => MemberFacts.Restore(new MemberFactsSnapshot(
        e.RowKey,
        e.GetDateTimeOffset("JoinedAt"),
        e.GetString("AcquisitionChannel"),
        e.GetString("AcquisitionCode"),
        e.GetString("Tier") ?? "member",
        e.GetInt64("PointsBalance") ?? 0,
        Deserialize<Dictionary<string, long>>(e.GetString("MonthlySpend")) ?? [],
        Deserialize<Dictionary<string, DateTimeOffset>>(e.GetString("UnusedCoupons")) ?? [],
        Words(e.GetString("PaidOrders")),
        e.GetInt32("PaidOrderCount") ?? 0,
        e.GetDateTimeOffset("FirstPaidAt"),
        e.GetDateTimeOffset("LastPaidAt"),
        e.GetString("Province"),
        e.GetDateTimeOffset("ProvinceAt"),
        e.GetString("WecomStaff"),
        e.GetString("WecomExternalUserId"),
        e.GetBoolean("WecomLinked") ?? false,
        e.GetDateTimeOffset("WecomAt"),
        e.GetBoolean("OaFollower") ?? false,
        e.GetDateTimeOffset("OaAt"),
        Deserialize<Dictionary<string, long>>(e.GetString("Segments")) ?? [],
        Words(e.GetString("Pending")),
        Deserialize<List<MemberEntry>>(e.GetString("Entries")) ?? [],
        e.GetString("TaggedStage"),
        DateOnly.TryParseExact(e.GetString("DueDay"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due) ? due : null,
        (e.GetInt64("Sequence") ?? 1) - 1,
        e.ETag.ToString()));

    private static T? Deserialize<T>(string? json) => string.IsNullOrEmpty(json) ? default : JsonSerializer.Deserialize<T>(json, Json);

    private static string[] Words(string? s) => string.IsNullOrEmpty(s) ? [] : s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
