using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.WeCom;

namespace WeStore.Storage.WeCom;

/// <summary>
/// Contact-me codes in one small partition (<c>way</c>, row = state): the state is unique by its row key, and listing
/// them is one partition query. WeCom allows 500,000 API-made ways per corp; a brand makes them per channel and staff,
/// not per impression, so the partition stays small.
/// </summary>
internal sealed class ContactWayRepository(StorageClients clients) : IContactWayRepository
{
    private const string Partition = "way";

    public async Task<bool> TryCreateAsync(ContactWay way, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.ContactWays, cancellationToken);
        try
        {
            await table.AddEntityAsync(Write(way), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> TrySaveAsync(ContactWay way, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.ContactWays, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(Write(way), new ETag(way.Version!), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<ContactWay?> GetAsync(string state, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.ContactWays, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, state, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e ? Read(e) : null;
    }

    public async Task<IReadOnlyList<ContactWay>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.ContactWays, cancellationToken);
        var ways = new List<ContactWay>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            ways.Add(Read(e));
        }

        return ways;
    }

    private static TableEntity Write(ContactWay w) => new(Partition, w.State)
    {
        ["Name"] = w.Name,
        ["Channel"] = w.Channel,
        ["StaffUserIds"] = JsonSerializer.Serialize(w.StaffUserIds),
        ["CouponCampaignId"] = w.CouponCampaignId,
        ["WelcomeText"] = w.Welcome.Text,
        ["MiniProgramTitle"] = w.Welcome.MiniProgramTitle,
        ["MiniProgramPage"] = w.Welcome.MiniProgramPage,
        ["SkipVerify"] = w.SkipVerify,
        ["Status"] = w.Status.ToString(),
        ["ConfigId"] = w.ConfigId,
        ["QrCode"] = w.QrCode,
        ["CreatedAt"] = w.CreatedAt,
        ["DeletedAt"] = w.DeletedAt,
    };

    private static ContactWay Read(TableEntity e) => ContactWay.Restore(
        e.RowKey, e.GetString("Name") ?? string.Empty, e.GetString("Channel") ?? string.Empty,
        JsonSerializer.Deserialize<List<string>>(e.GetString("StaffUserIds") ?? "[]") ?? [],
        e.GetString("CouponCampaignId"),
        new WelcomeMessage(e.GetString("WelcomeText") ?? string.Empty, e.GetString("MiniProgramTitle"), e.GetString("MiniProgramPage")),
        e.GetBoolean("SkipVerify") ?? true,
        Enum.TryParse<ContactWayStatus>(e.GetString("Status"), out var status) ? status : ContactWayStatus.Pending,
        e.GetString("ConfigId"), e.GetString("QrCode"), e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("DeletedAt"),
        e.ETag.ToString());
}
