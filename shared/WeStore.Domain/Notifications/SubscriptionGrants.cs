namespace WeStore.Domain.Notifications;

/// <summary>One template's change in a subscription event: accepted (one more send allowed) or rejected (none).</summary>
public sealed record GrantChange(string TemplateId, bool Accepted);

/// <summary>
/// A member's subscription-message grants, from WeChat's subscribe_msg_popup_event and subscribe_msg_change_event:
/// each accepted one-time subscription allows one send; a rejection (in the popup or in the member's settings) allows
/// none. Kept in the member's partition; an event is applied once (its id is recorded in the same batch).
/// </summary>
public interface ISubscriptionGrants
{
    /// <summary>Applies an event's changes once; false if that event was applied before.</summary>
    Task<bool> ApplyAsync(string openId, string eventId, IReadOnlyList<GrantChange> changes, CancellationToken cancellationToken);

    Task<int> CountAsync(string openId, string templateId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes one grant for the send <paramref name="sendId"/>, once: false if the member has no grant for the template,
    /// or this send already took one (a redelivered event sends nothing twice).
    /// </summary>
    Task<bool> TryTakeAsync(string openId, string templateId, string sendId, CancellationToken cancellationToken);

    /// <summary>Gives back the grant a send took when WeChat could not be reached (the send may be tried again).</summary>
    Task GiveBackAsync(string openId, string templateId, string sendId, CancellationToken cancellationToken);
}
