using System.Globalization;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Coupons;

namespace WeStore.Storage.Coupons;

/// <summary>
/// A campaign's partition (its id) holds the <c>campaign</c> row with the claim counter, a <c>claim|{openid}|{slot}</c>
/// row per coupon issued (unique, so the per-member limit holds), <c>key|{key}</c> rows for idempotent automatic
/// issuance, and <c>code|{code}</c> / <c>redeemed|{code}</c> rows for exchange codes. The <c>index</c> partition
/// lists campaigns for the claimable list.
/// </summary>
internal sealed class CouponCampaignRepository(StorageClients clients) : ICouponCampaignRepository
{
    private const string DefinitionRow = "campaign";
    private const string IndexPartition = "index";

    private static string ClaimRow(string openId, int slot) => $"claim|{openId}|{slot.ToString("000", CultureInfo.InvariantCulture)}";

    public async Task<CouponCampaign?> GetAsync(string campaignId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(campaignId, DefinitionRow, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e ? CouponEntities.ToCampaign(campaignId, e) : null;
    }

    public async Task<bool> CreateAsync(CouponCampaign campaign, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        try
        {
            await table.AddEntityAsync(CouponEntities.FromCampaign(campaign, campaign.Id, DefinitionRow), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }

        await table.UpsertEntityAsync(CouponEntities.FromCampaign(campaign, IndexPartition, campaign.Id), TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    public async Task<bool> TrySaveAsync(CouponCampaign campaign, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(campaign.Id, DefinitionRow) { ["Paused"] = campaign.Paused },
                new ETag(campaign.Version!), TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }

        await table.UpsertEntityAsync(new TableEntity(IndexPartition, campaign.Id) { ["Paused"] = campaign.Paused }, TableUpdateMode.Merge, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<CouponCampaign>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var campaigns = new List<CouponCampaign>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {IndexPartition}"), cancellationToken: cancellationToken))
        {
            campaigns.Add(CouponEntities.ToCampaign(row.RowKey, row));
        }

        return campaigns;
    }

    public async Task<ClaimWrite> TryClaimAsync(CouponCampaign campaign, string openId, int slot, string couponId, DateTimeOffset now,
        string? idempotencyKey, string? exchangeCode, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateMerge, new TableEntity(campaign.Id, DefinitionRow) { ["Claimed"] = campaign.Claimed + 1 }, new ETag(campaign.Version!)),
            new(TableTransactionActionType.Add, new TableEntity(campaign.Id, ClaimRow(openId, slot)) { ["CouponId"] = couponId, ["ClaimedAt"] = now }),
        };
        if (idempotencyKey is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(campaign.Id, "key|" + idempotencyKey) { ["OpenId"] = openId, ["CouponId"] = couponId }));
        }

        if (exchangeCode is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(campaign.Id, "redeemed|" + exchangeCode) { ["OpenId"] = openId, ["CouponId"] = couponId }));
        }

        try
        {
            await table.SubmitBatchAsync(actions, cancellationToken);
            return ClaimWrite.Written;
        }
        catch (TableTransactionFailedException e)
        {
            return (e.FailedTransactionActionIndex, e.Status) switch
            {
                (0, _) => ClaimWrite.CampaignChanged,
                (1, 409) => ClaimWrite.SlotTaken,
                (2, 409) when idempotencyKey is not null => ClaimWrite.AlreadyIssuedForKey,
                (2, 409) or (3, 409) => ClaimWrite.CodeAlreadyRedeemed,
                (_, 412) => ClaimWrite.CampaignChanged,
                _ => throw new RequestFailedException(e.Status, e.Message, e),
            };
        }
    }

    public async Task<IReadOnlyList<string>> ClaimedCouponIdsAsync(string campaignId, string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var prefix = $"claim|{openId}|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) ids.Add(row.GetString("CouponId")!);
        return ids;
    }

    public async Task AddCodesAsync(string campaignId, IReadOnlyList<string> codes, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        foreach (var chunk in codes.Chunk(TableBatchGuard.MaxOperations))
        {
            await table.SubmitBatchAsync(chunk.Select(c => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(campaignId, "code|" + c))).ToList(), cancellationToken);
        }
    }

    public async Task<bool?> IsCodeRedeemedAsync(string campaignId, string code, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var known = await table.GetEntityIfExistsAsync<TableEntity>(campaignId, "code|" + code, cancellationToken: cancellationToken);
        if (!known.HasValue) return null;
        return false; // whether it was redeemed is settled atomically by the claim batch's redeemed| row
    }
}
