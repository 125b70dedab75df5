namespace WeStore.Domain.Members;

public interface IMemberRepository
{
    Task<Member?> GetAsync(string openId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a login: creates the member if none exists (returns true, first touch kept), otherwise updates the
    /// last-seen time, unionid and session key (returns false). Exactly one of many concurrent first logins creates.
    /// </summary>
    Task<bool> RecordLoginAsync(Member login, CancellationToken cancellationToken);

    Task SavePhoneAsync(Member member, CancellationToken cancellationToken);
}
