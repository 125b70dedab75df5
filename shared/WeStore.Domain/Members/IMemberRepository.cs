namespace WeStore.Domain.Members;

public interface IMemberRepository
{
    Task<Member?> GetAsync(string openId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a login: creates the member if none exists (returns true, first touch kept), otherwise updates the
    /// last-seen time, unionid and session key (returns false). Exactly one of many concurrent first logins creates.
    /// <paramref name="beforeJoining"/> runs when the member is found to be new, before the member is written: what
    /// comes with joining is done first, so a failure there leaves no member behind and the next login is new again.
    /// </summary>
    Task<bool> RecordLoginAsync(Member login, Func<CancellationToken, Task> beforeJoining, CancellationToken cancellationToken);

    Task SavePhoneAsync(Member member, CancellationToken cancellationToken);
}
