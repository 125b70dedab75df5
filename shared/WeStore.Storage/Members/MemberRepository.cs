using Azure;
using Azure.Data.Tables;
using WeStore.Domain.Members;

namespace WeStore.Storage.Members;

/// <summary>
/// The member's profile row (partition = openid, row = "profile"). A login costs one request for a returning member
/// (a merge) and two for a new one (the merge's 404, then an insert that only one concurrent login can win).
/// </summary>
internal sealed class MemberRepository(StorageClients clients) : IMemberRepository
{
    internal const string ProfileRow = "profile";

    public async Task<Member?> GetAsync(string openId, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<MemberEntity>(openId, ProfileRow, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e ? e.ToMember() : null;
    }

    public async Task<bool> RecordLoginAsync(Member login, Func<CancellationToken, Task> beforeJoining, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        // Returning members are the common case: one merge. A new member costs a failed merge plus the insert;
        // of many concurrent first logins exactly one insert wins and the rest merge.
        if (await TryMergeLoginAsync(table, login, cancellationToken)) return false;
        await beforeJoining(cancellationToken);
        try
        {
            await table.AddEntityAsync(MemberEntity.From(login), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            await TryMergeLoginAsync(table, login, cancellationToken);
            return false;
        }
    }

    private static async Task<bool> TryMergeLoginAsync(TableClient table, Member login, CancellationToken cancellationToken)
    {
        var update = new TableEntity(login.OpenId, ProfileRow)
        {
            [nameof(MemberEntity.LastSeenAt)] = login.LastSeenAt,
            [nameof(MemberEntity.ProtectedSessionKey)] = login.ProtectedSessionKey,
        };
        if (login.UnionId is not null) update[nameof(MemberEntity.UnionId)] = login.UnionId;
        try
        {
            await table.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task SavePhoneAsync(Member member, CancellationToken cancellationToken)
    {
        var table = await clients.GetTableAsync(TableNames.Members, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(member.OpenId, ProfileRow)
        {
            [nameof(MemberEntity.ProtectedPhoneNumber)] = member.ProtectedPhoneNumber,
            [nameof(MemberEntity.MaskedPhoneNumber)] = member.MaskedPhoneNumber,
            [nameof(MemberEntity.LastSeenAt)] = member.LastSeenAt,
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }
}

internal sealed class MemberEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = MemberRepository.ProfileRow;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string? UnionId { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public string? ProtectedSessionKey { get; set; }

    public string? ProtectedPhoneNumber { get; set; }

    public string? MaskedPhoneNumber { get; set; }

    public static MemberEntity From(Member m) => new()
    {
        PartitionKey = m.OpenId,
        UnionId = m.UnionId,
        FirstSeenAt = m.FirstSeenAt,
        LastSeenAt = m.LastSeenAt,
        ProtectedSessionKey = m.ProtectedSessionKey,
        ProtectedPhoneNumber = m.ProtectedPhoneNumber,
        MaskedPhoneNumber = m.MaskedPhoneNumber,
    };

    public Member ToMember() => Member.Restore(PartitionKey, UnionId, FirstSeenAt, LastSeenAt, ProtectedSessionKey, ProtectedPhoneNumber, MaskedPhoneNumber);
}
