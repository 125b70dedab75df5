using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Domain.Attribution;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Members;
using WeStore.Domain.OfficialAccount;
using WeStore.Domain.Orders;
using WeStore.WeChat;
using WeStore.WeChat.OfficialAccount;

namespace WeStore.Application.OfficialAccount;

/// <summary>
/// The shipped notice for a member who follows the Official Account: a template message (a service notice, never a
/// broadcast: a service account's users receive 4 of those a month and the store spends none) opening the Mini
/// Program's order page, idempotent by <c>client_msg_id</c> and marked sent once. The shipped notifier sends it
/// instead of the subscription message, never both.
/// </summary>
public sealed class FollowerShippedNotice(
    IMemberRepository members, IUnionIdIndex index, IFollowerStore followers, OfficialAccountApiClient api,
    IOptions<WeStore.WeChat.WeChatOptions> miniProgram, ILogger<FollowerShippedNotice> logger)
{
    /// <summary>True when the member follows and the notice was sent (now or before): the subscription message is then not sent.</summary>
    public async Task<bool> TrySendAsync(Order order, OrderPackage package, string carrier, string page, CancellationToken cancellationToken)
    {
        var template = api.Options.ShippedTemplateId;
        if (string.IsNullOrEmpty(template) || !api.Options.Configured) return false;
        if ((await members.GetAsync(order.OpenId, cancellationToken))?.UnionId is not { } unionId || !UnionIdRules.IsValid(unionId)) return false;
        var link = (await index.ListContactsAsync(unionId, cancellationToken)).FirstOrDefault(l => l.Kind == TouchKind.Follow && l.LinkedOpenId == order.OpenId);
        if (link is null || await followers.GetAsync(link.ExternalUserId, cancellationToken) is not { Status: FollowStatus.Following } follower) return false;

        var sendId = $"notice|shipped|{order.OrderNo}|{package.PackageId}";
        if (await followers.WasHandledAsync(follower.OpenId, sendId, cancellationToken)) return true;
        try
        {
            await api.SendTemplateMessageAsync(new CgiBinMessageTemplateSendRequest
            {
                ToUser = follower.OpenId,
                TemplateId = template,
                MiniProgram = new TemplateMiniProgram(miniProgram.Value.AppId, page),
                ClientMsgId = $"shipped-{order.OrderNo}-{package.PackageId}",
                Data = new Dictionary<string, TemplateValue>
                {
                    ["character_string1"] = new(order.OrderNo),
                    ["thing2"] = new(carrier),
                    ["character_string3"] = new(package.TrackingNo ?? "-"),
                },
            }, cancellationToken);
        }
        catch (WeChatApiException e)
        {
            // 43004: they unfollowed meanwhile. The subscription message may go instead.
            logger.LogInformation("The template message for {OrderNo} was refused: errcode {ErrorCode}", order.OrderNo, e.ErrorCode);
            return false;
        }

        await followers.TryMarkHandledAsync(follower.OpenId, sendId, cancellationToken);
        logger.LogInformation("Shipped notice sent to the follower of {OrderNo} package {PackageId}", order.OrderNo, package.PackageId);
        return true;
    }
}
