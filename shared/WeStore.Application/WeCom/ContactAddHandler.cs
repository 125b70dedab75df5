using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WeStore.Application.Telemetry;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.Domain.Members;
using WeStore.Domain.WeCom;
using WeStore.WeChat;
using WeStore.WeChat.WeCom;

namespace WeStore.Application.WeCom;

/// <summary>One add event as WeCom pushed it.</summary>
public sealed record ContactAddEvent(string ExternalUserId, string UserId, long CreateTime, string? State, string? WelcomeCode);

/// <summary>
/// A new contact (<c>add_external_contact</c>). The first copy of the event to record it holds its lease; copies that
/// find it held or done stop there (WeCom retries, and a duplicate must not welcome twice). The holder sends the welcome
/// first, inside its 20 s, and records the outcome before anything else; then fetches the unionid, records the
/// relation, counts the add once, links the member (or leaves the link waiting at the unionid), and tags the
/// contact with its channel. A copy arriving after the holder's lease ran out takes over what was left.
/// </summary>
public sealed class ContactAddHandler(
    IWeComContactStore store, IContactWayRepository ways, IAttributionCounters counters,
    WelcomeSender welcomes, ContactLinker linker, ChannelTags tags, WeComApiClient wecom, TimeProvider time, ILogger<ContactAddHandler> logger)
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan WayCache = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, (ContactWay? Way, DateTimeOffset Until)> Ways = new(StringComparer.Ordinal);
    /// <param name="holder">This copy of the event: the queue's retry of a failed attempt takes over at once, another copy waits for the lease.</param>
    /// <returns>Null when handled (or already handled); else when to look again, because another copy holds it.</returns>
    public async Task<TimeSpan?> HandleAsync(ContactAddEvent e, string holder, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var add = ContactAdd.Receive(e.ExternalUserId, e.UserId, e.CreateTime, e.State, e.WelcomeCode, holder, now, Lease);
        if (!await store.TryCreateAddAsync(add, cancellationToken))
        {
            var existing = await store.GetAddAsync(e.ExternalUserId, add.Id, cancellationToken);
            if (existing is null || existing.Completed)
            {
                logger.LogInformation("A copy of an add through {State} was already handled", e.State ?? Touch.NoState);
                return null;
            }

            if (!existing.TryTakeOver(holder, now, Lease) || !await store.TrySaveAddAsync(existing, cancellationToken))
            {
                // Someone is handling it: look again once their lease would have run out, in case they die.
                return existing.LeaseUntil - now + TimeSpan.FromSeconds(1);
            }

            add = existing;
        }

        var way = ContactWayRules.IsValidState(add.State) ? await FindWayAsync(add.State!, cancellationToken) : null;
        if (add.WelcomeDue)
        {
            add.RecordWelcome(await welcomes.SendAsync(add, way, cancellationToken), time.GetUtcNow());
            // Recorded before anything else: a takeover must find the code spent.
            await SaveAsync(add, cancellationToken);
        }

        var channel = way?.Channel ?? Channels.Unknown;
        var state = ContactWayRules.IsValidState(add.State) ? add.State : null;
        var unionId = await UnionIdAsync(add.ExternalUserId, cancellationToken);
        var tag = way is null ? null : await TagAsync(add, channel, cancellationToken);
        var relation = await RecordRelationAsync(add, state, channel, unionId, tag, cancellationToken);

        if (await counters.AddOnceAsync(BusinessCalendar.DayKey(add.EventAt), CounterKey.ForContact(state, channel, add.UserId), $"wa|{add.ExternalUserId}|{add.Id}",
                new AttributionCounts(WecomAdds: 1), cancellationToken))
        {
            WeStoreTelemetry.WeComAdds.Add(1, new KeyValuePair<string, object?>("channel", channel));
        }

        if (unionId is not null)
        {
            await linker.RecordAsync(new ContactLink(unionId, add.ExternalUserId, add.UserId, state, channel, way?.CouponCampaignId, add.EventAt), cancellationToken);
            // Lost before this add was seen (the loss's event came first, without a unionid to name the member by).
            if (relation is { Status: RelationStatus.Lost, LostAt: { } lostAt }) await linker.LostAsync(unionId, add.ExternalUserId, add.UserId, lostAt, cancellationToken);
        }

        add.Complete();
        await SaveAsync(add, cancellationToken);
        return null;
    }

    private async Task<ContactWay?> FindWayAsync(string state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Ways.TryGetValue(state, out var hit) && hit.Until > now) return hit.Way;
        var way = await ways.GetAsync(state, cancellationToken);
        if (Ways.Count > 10_000) Ways.Clear();
        Ways[state] = (way, now + WayCache);
        return way;
    }

    private async Task<string?> UnionIdAsync(string externalUserId, CancellationToken cancellationToken)
    {
        try
        {
            var contact = await wecom.GetExternalContactAsync(new ExternalContactGetRequest(externalUserId), cancellationToken);
            var unionId = contact.ExternalContact?.UnionId;
            return UnionIdRules.IsValid(unionId) ? unionId : null;
        }
        catch (WeChatApiException e)
        {
            // A WeCom user (no unionid), or a corp without a bound developer id: the contact stays unlinked.
            logger.LogWarning("externalcontact/get gave no unionid: errcode {ErrorCode}", e.ErrorCode);
            return null;
        }
    }

    /// <summary>The relation as of this add, with the channel tag set at WeCom (WeCom sends no callback for our own write: this mirror is its only record).</summary>
    private async Task<WeComRelation> RecordRelationAsync(ContactAdd add, string? state, string channel, string? unionId, string? tag, CancellationToken cancellationToken)
        => await Optimistic.RetryAsync<WeComRelation>("The WeCom relation", async _ =>
        {
            var relation = await store.GetRelationAsync(add.ExternalUserId, add.UserId, cancellationToken);
            var changed = true;
            if (relation is null) relation = WeComRelation.Added(add.ExternalUserId, add.UserId, state, channel, unionId, add.EventAt);
            else changed = relation.ApplyAdd(state, channel, unionId, add.EventAt);
            if (tag is not null) changed |= relation.AddTag(tag);
            return !changed || await store.TrySaveRelationAsync(relation, cancellationToken) ? relation : Attempt<WeComRelation>.Again;
        }, cancellationToken);

    /// <summary>Tags the contact with its channel at WeCom (a repeat is harmless there); a refusal is logged, not retried: the add is not worth failing for it.</summary>
    private async Task<string?> TagAsync(ContactAdd add, string channel, CancellationToken cancellationToken)
    {
        try
        {
            if (await tags.TagIdAsync(channel, cancellationToken) is not { } tagId) return null;
            await wecom.MarkTagAsync(new ExternalContactMarkTagRequest { UserId = add.UserId, ExternalUserId = add.ExternalUserId, AddTag = [tagId] }, cancellationToken);
            return tagId;
        }
        catch (Exception e) when (e is WeChatApiException or WeChatUnavailableException)
        {
            logger.LogWarning("Tagging a contact with channel {Channel} failed: {Reason}", channel, e.Message);
            return null;
        }
    }

    private async Task SaveAsync(ContactAdd add, CancellationToken cancellationToken)
    {
        if (!await store.TrySaveAddAsync(add, cancellationToken)) throw new ContentionException("The contact add (its lease was taken over)", 1);
    }
}
