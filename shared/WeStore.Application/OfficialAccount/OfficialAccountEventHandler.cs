using System.Globalization;
using Microsoft.Extensions.Logging;
using WeStore.Application.WeCom;
using WeStore.Domain.Attribution;
using WeStore.Domain.Common;
using WeStore.Domain.Members;
using WeStore.Domain.OfficialAccount;
using WeStore.Domain.Push;
using WeStore.WeChat;
using WeStore.WeChat.OfficialAccount;
using WeStore.WeChat.Push;

namespace WeStore.Application.OfficialAccount;

/// <summary>
/// The <c>official-account-events</c> consumer: <c>subscribe</c> (with EventKey <c>qrscene_{scene}</c> through a code),
/// <c>SCAN</c> (a follower scanning a code again) and <c>unsubscribe</c>
/// (https://developers.weixin.qq.com/doc/service/guide/product/message/Receiving_event_pushes.html). Repeats are one
/// event by (FromUserName, CreateTime, Event): each effect is once-only, and the event is marked done last. A follow
/// fetches <c>user/info</c> for the unionid and <c>subscribe_scene</c>, is counted for its code, and joins the member
/// through the unionid index (or waits there for the first login), with the code's coupon once per follower.
/// </summary>
public sealed class OfficialAccountEventHandler(
    IFollowerStore followers, IFollowCodeRepository codes, IAttributionCounters counters, ContactLinker linker,
    OfficialAccountApiClient api, ILogger<OfficialAccountEventHandler> logger)
{
    private const string ScenePrefix = "qrscene_";

    public async Task HandleAsync(PushEventMessage message, CancellationToken cancellationToken)
    {
        var document = PushDocument.Parse(message.Document);
        if (document is null || PushDocument.Text(document, "MsgType") != "event") return;
        var evt = PushDocument.Text(document, "Event");
        var openId = PushDocument.Text(document, "FromUserName");
        if (evt is not ("subscribe" or "SCAN" or "unsubscribe"))
        {
            logger.LogInformation("Official Account event {Event} is not one the store acts on", evt);
            return;
        }

        if (!OpenIdRules.IsValid(openId) || !long.TryParse(PushDocument.Text(document, "CreateTime"), NumberStyles.None, CultureInfo.InvariantCulture, out var createTime) || createTime <= 0)
        {
            logger.LogWarning("An Official Account {Event} without a usable openid or time was dropped", evt);
            return;
        }

        var eventId = $"{evt}|{createTime}";
        if (await followers.WasHandledAsync(openId!, eventId, cancellationToken)) return;
        var at = DateTimeOffset.FromUnixTimeSeconds(createTime);
        var key = PushDocument.Text(document, "EventKey");
        switch (evt)
        {
            case "subscribe":
                await FollowAsync(openId!, key is not null && key.StartsWith(ScenePrefix, StringComparison.Ordinal) ? key[ScenePrefix.Length..] : null, at, createTime, cancellationToken);
                break;
            case "SCAN":
                var code = await FindAsync(key, cancellationToken);
                await counters.AddOnceAsync(BusinessCalendar.DayKey(at), CounterKey.ForFollow(code?.SceneStr, code?.Channel ?? Channels.Unknown), $"os|{openId}|{createTime}",
                    new AttributionCounts(Scans: 1), cancellationToken);
                break;
            default:
                await UnfollowAsync(openId!, at, createTime, cancellationToken);
                break;
        }

        await followers.TryMarkHandledAsync(openId!, eventId, cancellationToken);
    }

    private async Task FollowAsync(string openId, string? scene, DateTimeOffset at, long createTime, CancellationToken cancellationToken)
    {
        var code = await FindAsync(scene, cancellationToken);
        var channel = code?.Channel ?? Channels.Unknown;
        CgiBinUserInfoResponse? info = null;
        try
        {
            info = await api.GetUserInfoAsync(new CgiBinUserInfoRequest(openId), cancellationToken);
        }
        catch (WeChatApiException e)
        {
            logger.LogWarning("user/info refused a follower: errcode {ErrorCode}", e.ErrorCode);
        }

        var unionId = UnionIdRules.IsValid(info?.UnionId) ? info!.UnionId : null;
        await Optimistic.RetryAsync("The follower", async _ =>
        {
            var follower = await followers.GetAsync(openId, cancellationToken) ?? Follower.New(openId);
            return !follower.Follow(code?.SceneStr, channel, info?.SubscribeScene, unionId, at) || await followers.TrySaveAsync(follower, cancellationToken);
        }, cancellationToken);

        await counters.AddOnceAsync(BusinessCalendar.DayKey(at), CounterKey.ForFollow(code?.SceneStr, channel), $"of|{openId}|{createTime}", new AttributionCounts(Follows: 1), cancellationToken);
        if (unionId is null) return;
        await linker.RecordAsync(ContactLink.ForFollower(unionId, openId, code?.SceneStr, channel, code?.CouponCampaignId, at), cancellationToken);
    }

    private async Task UnfollowAsync(string openId, DateTimeOffset at, long createTime, CancellationToken cancellationToken)
    {
        var follower = await Optimistic.RetryAsync<Follower?>("The follower", async _ =>
        {
            var f = await followers.GetAsync(openId, cancellationToken);
            if (f is null || !f.Unfollow(at)) return f is { Status: FollowStatus.Unfollowed, UnfollowedAt: { } left } && left == at ? f : null;
            return await followers.TrySaveAsync(f, cancellationToken) ? f : Attempt<Follower?>.Again;
        }, cancellationToken);
        if (follower is null) return;
        await counters.AddOnceAsync(BusinessCalendar.DayKey(at), CounterKey.ForFollow(follower.LastScene, follower.LastChannel), $"ou|{openId}|{createTime}",
            new AttributionCounts(Unfollows: 1), cancellationToken);
        if (follower.UnionId is { } unionId) await linker.UnfollowedAsync(unionId, openId, at, cancellationToken);
    }

    private async Task<FollowCode?> FindAsync(string? scene, CancellationToken cancellationToken)
        => FollowCodeRules.IsValidScene(scene) ? await codes.GetAsync(scene!, cancellationToken) : null;
}
