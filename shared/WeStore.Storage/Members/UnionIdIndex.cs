using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Members;

namespace WeStore.Storage.Members;

/// <summary>
/// Partition = unionid: <c>member</c> names the Mini Program member, <c>wecom|{external_userid}|{userid}</c> each
/// WeCom contact of the person, <c>follow|{openid}</c> their Official Account follow. Finding the member is one point read; a person's contacts are one small partition.
/// </summary>
internal sealed class UnionIdIndex(StorageClients clients) : IUnionIdIndex
{
    private const string MemberRow = "member";

    public async Task<(string OpenId, bool Resolved)?> GetMemberAsync(string unionId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.UnionIds, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(unionId, MemberRow, ["OpenId", "Resolved"], cancellationToken);
        return response.HasValue && response.Value is { } e && e.GetString("OpenId") is { } openId ? (openId, e.GetBoolean("Resolved") ?? false) : null;
    }

    public async Task MarkResolvedAsync(string unionId, bool resolved, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.UnionIds, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(unionId, MemberRow) { ["Resolved"] = resolved }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<bool> TryRegisterMemberAsync(string unionId, string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.UnionIds, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(unionId, MemberRow) { ["OpenId"] = openId, ["Resolved"] = true }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task SaveContactAsync(ContactLink link, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.UnionIds, cancellationToken);
        // A merge keeps LinkedOpenId when the link was resolved first (by the login's path).
        await table.UpsertEntityAsync(new TableEntity(link.UnionId, Row(link))
        {
            ["ExternalUserId"] = link.ExternalUserId,
            ["UserId"] = link.UserId,
            ["State"] = link.State,
            ["Channel"] = link.Channel,
            ["CouponCampaignId"] = link.CouponCampaignId,
            ["AddedAt"] = link.AddedAt,
            ["Kind"] = link.Kind.ToString(),
        }, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<IReadOnlyList<ContactLink>> ListContactsAsync(string unionId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.UnionIds, cancellationToken);
        var links = new List<ContactLink>();
        // follow|... and wecom|... rows (the member row sorts between them and is skipped).
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {unionId} and RowKey ge {"follow|"} and RowKey lt {"wecom}"}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == MemberRow) continue;
            links.Add(new ContactLink(unionId, e.GetString("ExternalUserId") ?? string.Empty, e.GetString("UserId") ?? string.Empty, e.GetString("State"),
                e.GetString("Channel") ?? "unknown", e.GetString("CouponCampaignId"), e.GetDateTimeOffset("AddedAt") ?? DateTimeOffset.MinValue, e.GetString("LinkedOpenId"),
                Enum.TryParse<WeStore.Domain.Attribution.TouchKind>(e.GetString("Kind"), out var kind) ? kind : WeStore.Domain.Attribution.TouchKind.WeComAdd));
        }

        return links;
    }

    public async Task MarkLinkedAsync(ContactLink link, string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.UnionIds, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(link.UnionId, Row(link)) { ["LinkedOpenId"] = openId }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    private static string Row(ContactLink link) => link.Kind == WeStore.Domain.Attribution.TouchKind.Follow ? $"follow|{link.ExternalUserId}" : $"wecom|{link.ExternalUserId}|{link.UserId}";
}
