using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.Domain.Messaging;
using WeStore.Domain.Push;
using WeStore.Domain.WeCom;
using WeStore.WeChat.Push;

namespace WeStore.Application.WeCom;

/// <summary>
/// The <c>wecom-events</c> consumer: customer-contact changes (https://developer.work.weixin.qq.com/document/path/92130).
/// Adds are handled by <see cref="ContactAddHandler"/>; a deletion on either side marks the relation lost and counts
/// it once; half-adds and edits are recorded and otherwise ignored. Each effect is idempotent by the event's identity
/// (ChangeType, UserID, ExternalUserID, CreateTime), because WeCom retries.
/// </summary>
public sealed class WeComEventHandler(
    ContactAddHandler adds, IWeComContactStore store, IAttributionCounters counters, IMessageSender messages,
    ContactLinker linker, ILogger<WeComEventHandler> logger)
{
    /// <summary>A copy held by another handler is looked at again this many times at most.</summary>
    private const int MaxRechecks = 5;

    public async Task HandleAsync(PushEventMessage message, CancellationToken cancellationToken)
    {
        var document = PushDocument.Parse(message.Document);
        if (document is null) return;
        var evt = PushDocument.Text(document, "Event");
        var change = PushDocument.Text(document, "ChangeType");
        if (evt != "change_external_contact")
        {
            logger.LogInformation("WeCom event {Event} ({ChangeType}) is not one the store acts on", evt, change);
            return;
        }

        var externalUserId = PushDocument.Text(document, "ExternalUserID");
        var userId = PushDocument.Text(document, "UserID");
        if (!ContactWayRules.IsValidExternalUserId(externalUserId) || !ContactWayRules.IsValidUserId(userId)
            || !long.TryParse(PushDocument.Text(document, "CreateTime"), NumberStyles.None, CultureInfo.InvariantCulture, out var createTime) || createTime <= 0)
        {
            logger.LogWarning("A WeCom {ChangeType} event without usable ids or time was dropped", change);
            return;
        }

        switch (change)
        {
            case "add_external_contact":
                var again = await adds.HandleAsync(new ContactAddEvent(externalUserId!, userId!, createTime, PushDocument.Text(document, "State"),
                    PushDocument.Text(document, "WelcomeCode")), message.CopyId ?? Guid.NewGuid().ToString("N"), cancellationToken);
                if (again is { } delay)
                {
                    if (message.Rechecks >= MaxRechecks) logger.LogWarning("An add is still held by another handler after {Rechecks} looks; leaving it to them", message.Rechecks);
                    else await messages.SendAsync(PushQueues.WeComEvents, message with { Rechecks = message.Rechecks + 1 }, delay, cancellationToken);
                }

                break;
            case "del_external_contact" or "del_follow_user":
                await LoseAsync(externalUserId!, userId!, createTime, change, cancellationToken);
                break;
            case "add_half_external_contact" or "edit_external_contact" or "transfer_fail":
                if (await store.TryMarkEventAsync(externalUserId!, $"{change}|{userId}|{createTime}", change, DateTimeOffset.FromUnixTimeSeconds(createTime), cancellationToken))
                {
                    logger.LogInformation("WeCom {ChangeType} recorded", change);
                }

                break;
            default:
                logger.LogInformation("WeCom contact change {ChangeType} is not one the store acts on", change);
                break;
        }
    }

    private async Task LoseAsync(string externalUserId, string userId, long createTime, string change, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(createTime);
        var relation = await Optimistic.RetryAsync<WeComRelation?>("The WeCom relation", async _ =>
        {
            var r = await store.GetRelationAsync(externalUserId, userId, cancellationToken);
            if (r is null)
            {
                // Lost before its add was seen (out of order, or added before the store listened): remembered as lost.
                r = WeComRelation.Restore(externalUserId, userId, null, Channels.Unknown, null, RelationStatus.Lost, DateTimeOffset.UnixEpoch, at, [], null);
                return await store.TrySaveRelationAsync(r, cancellationToken) ? r : Attempt<WeComRelation?>.Again;
            }

            if (!r.Lose(at)) return r.Status == RelationStatus.Lost && r.LostAt == at ? r : null;
            return await store.TrySaveRelationAsync(r, cancellationToken) ? r : Attempt<WeComRelation?>.Again;
        }, cancellationToken);
        if (relation is null)
        {
            logger.LogInformation("A WeCom {ChangeType} older than the relation's add was ignored", change);
            return;
        }

        await counters.AddOnceAsync(BusinessCalendar.DayKey(at), CounterKey.ForContact(relation.State, relation.Channel, userId), $"wl|{externalUserId}|{userId}|{createTime}",
            new AttributionCounts(WecomLost: 1), cancellationToken);
        if (relation.UnionId is { } unionId) await linker.LostAsync(unionId, externalUserId, userId, at, cancellationToken);

        logger.LogInformation("A WeCom relation through {State} was lost ({ChangeType})", relation.State ?? Touch.NoState, change);
    }
}
