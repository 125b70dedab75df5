using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Referrals;

namespace WeStore.Storage.Referrals;

/// <summary>
/// <c>Referrals</c>: <c>c|{code}</c> → the member it belongs to (written once, so a code is never handed out twice);
/// <c>m|{openid}</c>/<c>ref</c> the member's referral (their code, their referrer, the reward), under its ETag;
/// <c>r|{referrer}</c> one row per referred member, so a referrer's list is one partition read.
/// </summary>
internal sealed class ReferralStore(StorageClients clients) : IReferralStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static string MemberPk(string openId) => "m|" + openId;

    public async Task<MemberReferral> GetAsync(string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Referrals, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(MemberPk(openId), "ref", cancellationToken: cancellationToken);
        if (!row.HasValue) return MemberReferral.New(openId);
        var e = row.Value!;
        return MemberReferral.Restore(openId, e.GetString("Code"), e.GetString("Referrer"), e.GetString("ReferrerCode"), e.GetString("Via"), e.GetDateTimeOffset("BoundAt"),
            Enum.Parse<RewardState>(e.GetString("State") ?? nameof(RewardState.Pending)),
            e.GetString("Reward") is { Length: > 0 } reward ? JsonSerializer.Deserialize<ReferralReward>(reward, Json) : null, e.ETag.ToString());
    }

    public async Task<bool> TrySaveAsync(MemberReferral r, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Referrals, cancellationToken);
        var entity = new TableEntity(MemberPk(r.OpenId), "ref")
        {
            ["Code"] = r.Code, ["Referrer"] = r.ReferrerOpenId, ["ReferrerCode"] = r.ReferrerCode, ["Via"] = r.Via, ["BoundAt"] = r.BoundAt,
            ["State"] = r.State.ToString(), ["Reward"] = r.Reward is null ? null : JsonSerializer.Serialize(r.Reward, Json),
        };
        if (await ConditionalWrite.TryAsync(table, entity, r.Version, cancellationToken) is not { } etag) return false;
        r.Saved(etag);
        return true;
    }

    public async Task<bool> TryClaimCodeAsync(string code, string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Referrals, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity("c|" + code, "code") { ["OpenId"] = openId }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // A retry of this member's own claim (its answer lost) finds the code theirs.
            return await FindReferrerAsync(code, cancellationToken) == openId;
        }
    }

    public async Task<string?> FindReferrerAsync(string code, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Referrals, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>("c|" + code, "code", cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("OpenId") : null;
    }

    public async Task SaveReferredAsync(string referrerOpenId, ReferredMember referred, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Referrals, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity("r|" + referrerOpenId, referred.OpenId) { ["Referred"] = JsonSerializer.Serialize(referred, Json) }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<ReferredMember?> GetReferredAsync(string referrerOpenId, string referredOpenId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Referrals, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>("r|" + referrerOpenId, referredOpenId, cancellationToken: cancellationToken);
        return row.HasValue ? JsonSerializer.Deserialize<ReferredMember>(row.Value!.GetString("Referred")!, Json) : null;
    }

    public async Task<IReadOnlyList<ReferredMember>> ListReferredAsync(string referrerOpenId, int max, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Referrals, cancellationToken);
        var list = new List<ReferredMember>();
        try
        {
            await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == "r|" + referrerOpenId, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
            {
                list.Add(JsonSerializer.Deserialize<ReferredMember>(e.GetString("Referred")!, Json)!);
                if (list.Count >= max) break;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No referral was ever recorded.
        }

        return list;
    }
}
