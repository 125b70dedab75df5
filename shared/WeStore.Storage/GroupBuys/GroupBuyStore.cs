using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Common;
using WeStore.Domain.GroupBuys;

namespace WeStore.Storage.GroupBuys;

/// <summary>
/// <c>GroupBuys</c>: partition <c>gb|{id}</c> holds the definition (<c>def</c>), the stock counter (<c>stock</c>) and a
/// marker per team whose stock came back (<c>back|{team}</c>), so stock is returned once; <c>t|{team}</c> holds the
/// team (<c>team</c>, seats as JSON, written under its ETag: the one guard of seats ≤ size); <c>m|{openid}</c> a
/// member's seats per group-buy (<c>gb|{id}</c>), for the per-member limit.
/// </summary>
internal sealed class GroupBuyStore(StorageClients clients) : IGroupBuyStore
{
    private const string Def = "def";
    private const string StockRow = "stock";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static string Pk(string id) => "gb|" + id;

    private static string TeamPk(string id) => "t|" + id;

    private static string MemberPk(string openId) => "m|" + openId;

    public async Task<bool> TryCreateAsync(GroupBuy groupBuy, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.GroupBuys, cancellationToken);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, new TableEntity(Pk(groupBuy.Id), Def) { ["Definition"] = JsonSerializer.Serialize(groupBuy, Json) }) };
        if (groupBuy.Stock is { } stock) actions.Add(new(TableTransactionActionType.Add, new TableEntity(Pk(groupBuy.Id), StockRow) { ["Left"] = stock }));
        try
        {
            await table.SubmitBatchAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<GroupBuy?> GetAsync(string groupBuyId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.GroupBuys, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(groupBuyId), Def, cancellationToken: cancellationToken);
        return row.HasValue ? JsonSerializer.Deserialize<GroupBuy>(row.Value!.GetString("Definition")!, Json) : null;
    }

    public async Task<Team?> GetTeamAsync(string teamId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.GroupBuys, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TeamPk(teamId), "team", cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        var e = row.Value!;
        return Team.Restore(teamId, e.GetString("GroupBuyId")!, e.GetString("SkuId")!, e.GetInt64("GroupPrice") ?? 0, e.GetInt32("Size") ?? 0,
            e.GetString("Leader")!, e.GetDateTimeOffset("OpenedAt") ?? default, e.GetDateTimeOffset("Deadline") ?? default,
            Enum.Parse<TeamStatus>(e.GetString("Status")!), e.GetDateTimeOffset("ClosedAt"),
            JsonSerializer.Deserialize<List<TeamSeat>>(e.GetString("Seats") ?? "[]", Json)!, e.GetInt32("Freed") ?? 0, e.ETag.ToString());
    }

    public Task<bool> TryCreateTeamAsync(Team team, CancellationToken cancellationToken) => TryWriteTeamAsync(team, version: null, cancellationToken);

    public Task<bool> TrySaveTeamAsync(Team team, CancellationToken cancellationToken) => TryWriteTeamAsync(team, team.Version, cancellationToken);

    private async Task<bool> TryWriteTeamAsync(Team team, string? version, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.GroupBuys, cancellationToken);
        if (await ConditionalWrite.TryAsync(table, ToEntity(team), version, cancellationToken) is not { } etag) return false;
        team.Saved(etag);
        return true;
    }

    public async Task<MemberGroupBuySeats> GetMemberSeatsAsync(string openId, string groupBuyId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.GroupBuys, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(MemberPk(openId), Pk(groupBuyId), cancellationToken: cancellationToken);
        return row.HasValue
            ? new MemberGroupBuySeats(openId, groupBuyId, JsonSerializer.Deserialize<List<MemberSeat>>(row.Value!.GetString("Seats") ?? "[]", Json)!, row.Value.ETag.ToString())
            : new MemberGroupBuySeats(openId, groupBuyId, [], null);
    }

    public async Task<bool> TrySaveMemberSeatsAsync(MemberGroupBuySeats seats, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.GroupBuys, cancellationToken);
        var entity = new TableEntity(MemberPk(seats.OpenId), Pk(seats.GroupBuyId)) { ["Seats"] = JsonSerializer.Serialize(seats.Seats, Json) };
        if (await ConditionalWrite.TryAsync(table, entity, seats.Version, cancellationToken) is not { } etag) return false;
        seats.Saved(etag);
        return true;
    }

    public Task<bool> TryTakeStockAsync(string groupBuyId, string teamId, int units, CancellationToken cancellationToken)
        => MoveStockAsync(groupBuyId, "take|" + teamId, units, left => left >= units, cancellationToken);

    public async Task ReturnStockAsync(string groupBuyId, string teamId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.GroupBuys, cancellationToken);
        var taken = await table.GetEntityIfExistsAsync<TableEntity>(Pk(groupBuyId), "take|" + teamId, cancellationToken: cancellationToken);
        if (!taken.HasValue) return;
        await MoveStockAsync(groupBuyId, "back|" + teamId, -(taken.Value!.GetInt32("Units") ?? 0), _ => true, cancellationToken);
    }

    /// <summary>
    /// The counter under its version and a marker row in one batch: a repeat finds its marker and moves nothing twice.
    /// True if moved (or moved before), false if <paramref name="allowed"/> refused the current level.
    /// </summary>
    private async Task<bool> MoveStockAsync(string groupBuyId, string marker, int units, Func<long, bool> allowed, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.GroupBuys, cancellationToken);
        for (var attempt = 0; attempt < Optimistic.HotRowAttempts; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(groupBuyId), StockRow, cancellationToken: cancellationToken);
            if (!row.HasValue) return true;
            var left = row.Value!.GetInt64("Left") ?? 0;
            if (!allowed(left)) return false;
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.UpdateReplace, new TableEntity(Pk(groupBuyId), StockRow) { ["Left"] = left - units }, row.Value.ETag),
                new(TableTransactionActionType.Add, new TableEntity(Pk(groupBuyId), marker) { ["Units"] = units }),
            ];
            try
            {
                await table.SubmitBatchAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex == 1)
            {
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 412 or 409)
            {
                await Task.Delay(Random.Shared.Next(1, 10 + Math.Min(attempt, 40)), cancellationToken);
            }
        }

        throw new ContentionException($"Group-buy {groupBuyId}'s stock", Optimistic.HotRowAttempts);
    }

    private static TableEntity ToEntity(Team t) => new(TeamPk(t.Id), "team")
    {
        ["GroupBuyId"] = t.GroupBuyId,
        ["SkuId"] = t.SkuId,
        ["GroupPrice"] = t.GroupPrice,
        ["Size"] = t.Size,
        ["Leader"] = t.LeaderOpenId,
        ["OpenedAt"] = t.OpenedAt,
        ["Deadline"] = t.Deadline,
        ["Status"] = t.Status.ToString(),
        ["ClosedAt"] = t.ClosedAt,
        ["Seats"] = JsonSerializer.Serialize(t.Seats, Json),
        ["Freed"] = t.Freed,
    };
}
