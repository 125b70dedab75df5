using System.Globalization;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Coupons;

namespace WeStore.Storage.Coupons;

/// <summary>
/// A campaign's partition (its id) holds the <c>campaign</c> definition row, <c>counter-NN</c> rows (the stock split
/// over up to 16 counters, each with a copy of the definition, so one read prices and counts a claim), a <c>claim|{openid}|{slot}</c>
/// row per coupon issued (unique, so the per-member limit holds), <c>key|{key}</c> rows for idempotent automatic
/// issuance, and <c>code|{code}</c> / <c>redeemed|{code}</c> rows for exchange codes. The <c>index</c> partition
/// lists campaigns for the claimable list.
/// </summary>
internal sealed class CouponCampaignRepository(StorageClients clients) : ICouponCampaignRepository
{
    private const string DefinitionRow = "campaign";
    private const string IndexPartition = "index";

    private static string CounterRow(int shard) => "counter-" + shard.ToString("00", CultureInfo.InvariantCulture);

    private static string ClaimRow(string openId, int slot) => $"claim|{openId}|{slot.ToString("000", CultureInfo.InvariantCulture)}";

    public async Task<CouponCampaign?> GetAsync(string campaignId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var rows = await table.QueryAsync<TableEntity>(DefinitionAndCounters(campaignId), cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        var definition = rows.SingleOrDefault(r => r.RowKey == DefinitionRow);
        if (definition is null) return null;
        var campaign = CouponEntities.ToCampaign(campaignId, definition);
        campaign.SetClaimed(rows.Where(r => r.RowKey != DefinitionRow).Sum(r => r.GetInt32("ShardClaimed") ?? 0));
        return campaign;
    }

    public async Task<CampaignSlice?> GetSliceAsync(string campaignId, int shard, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(campaignId, CounterRow(shard), cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } row) return null;
        return new CampaignSlice(CouponEntities.ToCampaign(campaignId, row), shard, row.GetInt32("Stock") ?? 0, row.GetInt32("ShardClaimed") ?? 0, row.ETag.ToString());
    }

    public async Task<bool> CreateAsync(CouponCampaign campaign, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, CouponEntities.FromCampaign(campaign, campaign.Id, DefinitionRow)) };
        for (var shard = 0; shard < campaign.Shards; shard++)
        {
            var counter = CouponEntities.FromCampaign(campaign, campaign.Id, CounterRow(shard));
            counter["Stock"] = campaign.StockOfShard(shard);
            counter["ShardClaimed"] = 0;
            actions.Add(new(TableTransactionActionType.Add, counter));
        }

        try
        {
            await table.SubmitBatchAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }

        await table.UpsertEntityAsync(CouponEntities.FromCampaign(campaign, IndexPartition, campaign.Id), TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    public async Task<bool> TrySetPausedAsync(string campaignId, bool paused, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var rows = await table.QueryAsync<TableEntity>(DefinitionAndCounters(campaignId), cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        if (rows.Count == 0) return false;
        try
        {
            await table.SubmitBatchAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                new TableEntity(campaignId, r.RowKey) { ["Paused"] = paused }, r.ETag)).ToList(), cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 412)
        {
            return false;
        }

        await table.UpsertEntityAsync(new TableEntity(IndexPartition, campaignId) { ["Paused"] = paused }, TableUpdateMode.Merge, cancellationToken);
        return true;
    }

    private static string DefinitionAndCounters(string campaignId)
        => TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and (RowKey eq {DefinitionRow} or (RowKey ge {"counter-"} and RowKey lt {"counter."}))");

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

    public async Task<ClaimWrite> TryClaimAsync(CampaignSlice slice, string openId, int slot, string couponId, DateTimeOffset now,
        string? idempotencyKey, string? exchangeCode, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var campaignId = slice.Campaign.Id;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateMerge, new TableEntity(campaignId, CounterRow(slice.Shard)) { ["ShardClaimed"] = slice.Claimed + 1 }, new ETag(slice.Version)),
            new(TableTransactionActionType.Add, new TableEntity(campaignId, ClaimRow(openId, slot)) { ["CouponId"] = couponId, ["ClaimedAt"] = now }),
        };
        if (idempotencyKey is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(campaignId, "key|" + idempotencyKey) { ["OpenId"] = openId, ["CouponId"] = couponId }));
        }

        if (exchangeCode is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(campaignId, "redeemed|" + exchangeCode) { ["OpenId"] = openId, ["CouponId"] = couponId }));
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

    public async Task<string?> CouponIdForKeyAsync(string campaignId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(campaignId, "key|" + idempotencyKey, ["CouponId"], cancellationToken);
        return row.HasValue ? row.Value!.GetString("CouponId") : null;
    }

    public async Task AddCodesAsync(string campaignId, IReadOnlyList<string> codes, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        foreach (var chunk in codes.Chunk(TableBatchGuard.MaxOperations))
        {
            await table.SubmitBatchAsync(chunk.Select(c => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(campaignId, "code|" + c))).ToList(), cancellationToken);
        }
    }

    public async Task<bool> CodeExistsAsync(string campaignId, string code, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.CouponCampaigns, cancellationToken);
        return (await table.GetEntityIfExistsAsync<TableEntity>(campaignId, "code|" + code, cancellationToken: cancellationToken)).HasValue;
    }
}
