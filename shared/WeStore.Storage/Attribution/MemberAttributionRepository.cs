using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Attribution;

namespace WeStore.Storage.Attribution;

/// <summary>
/// A member's attribution: one row (<c>attribution</c>) in the member's partition, saved under its ETag so two
/// concurrent scans by one member cannot lose a touch. Sets are stored space-separated: scenes, channels and staff ids
/// never contain spaces.
/// </summary>
internal sealed class MemberAttributionRepository(StorageClients clients) : IMemberAttributionRepository
{
    internal const string Row = "attribution";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<MemberAttribution?> GetAsync(string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(openId, Row, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } e) return null;
        return MemberAttribution.Restore(
            openId, ReadTouch(e, "Acquisition"), ReadTouch(e, "FirstTouch"), ReadTouch(e, "LastTouch"), e.GetString("VisitDay"),
            Split(e, "VisitedScenes"), Split(e, "VisitedChannels"), Split(e, "VisitedStaff"), Split(e, "ScanCampaigns"), e.ETag.ToString(),
            e.GetString("Journey") is { Length: > 0 } journey ? JsonSerializer.Deserialize<List<JourneyStep>>(journey, Json) : null);
    }

    public async Task<bool> TrySaveAsync(MemberAttribution a, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var entity = ToEntity(a);
        try
        {
            if (a.Version is null) await table.AddEntityAsync(entity, cancellationToken);
            else await table.UpdateEntityAsync(entity, new ETag(a.Version), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<OnceSave> TrySaveOnceAsync(MemberAttribution a, string marker, bool acquired, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var rowKey = "once|" + marker;
        var entity = ToEntity(a);
        TableTransactionAction save = a.Version is null
            ? new(TableTransactionActionType.Add, entity)
            : new(TableTransactionActionType.UpdateReplace, entity, new ETag(a.Version));
        try
        {
            await table.SubmitBatchAsync([new(TableTransactionActionType.Add, new TableEntity(a.OpenId, rowKey) { ["Acquired"] = acquired }), save], cancellationToken);
            return new OnceSave(true, false, acquired);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(a.OpenId, rowKey, cancellationToken: cancellationToken);
            return existing.HasValue && existing.Value is { } m ? new OnceSave(false, true, m.GetBoolean("Acquired") ?? false) : OnceSave.Conflict;
        }
    }

    private static TableEntity ToEntity(MemberAttribution a) => new(a.OpenId, Row)
        {
            ["Acquisition"] = WriteTouch(a.Acquisition),
            ["FirstTouch"] = WriteTouch(a.FirstTouch),
            ["LastTouch"] = WriteTouch(a.LastTouch),
            ["VisitDay"] = a.VisitDay,
            ["VisitedScenes"] = string.Join(' ', a.VisitedScenes),
            ["VisitedChannels"] = string.Join(' ', a.VisitedChannels),
            ["VisitedStaff"] = string.Join(' ', a.VisitedStaff),
            ["ScanCampaigns"] = string.Join(' ', a.ScanCampaigns),
            ["Journey"] = a.Journey.Count == 0 ? null : JsonSerializer.Serialize(a.Journey, Json),
        };

    private static string? WriteTouch(Touch? touch) => touch is null ? null : JsonSerializer.Serialize(touch, Json);

    private static Touch? ReadTouch(TableEntity e, string column) => e.GetString(column) is { Length: > 0 } json ? JsonSerializer.Deserialize<Touch>(json, Json) : null;

    private static string[] Split(TableEntity e, string column) => (e.GetString(column) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
