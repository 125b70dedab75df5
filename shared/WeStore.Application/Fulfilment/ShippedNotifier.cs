using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeStore.Domain.Fulfilment;
using WeStore.Domain.Notifications;
using WeStore.Domain.Orders;
using WeStore.WeChat;
using WeStore.WeChat.MiniProgram;

namespace WeStore.Application.Fulfilment;

/// <summary>
/// The <c>order-shipped</c> consumer: the shipped notice, once per shipment however often the event is delivered. A
/// member who follows the Official Account gets it as a template message there
/// (<see cref="WeStore.Application.OfficialAccount.FollowerShippedNotice"/>); anyone else as a subscription message
/// (<c>Fulfilment:ShippedTemplateId</c>), only with a grant (each one-time grant allows one send): without one WeChat
/// would refuse it (43101) anyway. Never both.
/// </summary>
public sealed class ShippedNotifier(
    IOrderRepository orders,
    WeStore.Application.OfficialAccount.FollowerShippedNotice followerNotice,
    ISubscriptionGrants grants,
    DeliveryCompanies carriers,
    WeChatApiClient wechat,
    IOptions<FulfilmentOptions> options,
    IOptions<WeChatOptions> wechatOptions,
    ILogger<ShippedNotifier> logger)
{
    public async Task NotifyAsync(OrderShippedMessage message, CancellationToken cancellationToken)
    {
        var template = options.Value.ShippedTemplateId;
        if (message.PackageIds.Count == 0) return;
        var order = await orders.GetAsync(message.OpenId, message.OrderNo, cancellationToken);
        var package = order?.Fulfilment.Packages.FirstOrDefault(p => p.PackageId == message.PackageIds[^1]);
        if (order is null || package is null) return;

        var carrier = package.ExpressCompany is { } id ? (await carriers.AllAsync(cancellationToken)).GetValueOrDefault(id, id) : FulfilmentView.LogisticsName(order.Fulfilment.Logistics ?? LogisticsType.Express);
        if (await followerNotice.TrySendAsync(order, package, Truncate(carrier, 20), options.Value.OrderPage + order.OrderNo, cancellationToken)) return;
        if (string.IsNullOrEmpty(template)) return;
        var sendId = $"shipped|{order.OrderNo}|{package.PackageId}";
        if (!await grants.TryTakeAsync(order.OpenId, template, sendId, cancellationToken)) return;

        try
        {
            await wechat.SendSubscribeMessageAsync(new CgiBinMessageSubscribeSendRequest
            {
                ToUser = order.OpenId,
                TemplateId = template,
                Page = options.Value.OrderPage + order.OrderNo,
                MiniProgramState = wechatOptions.Value.MiniProgramState,
                Data = new Dictionary<string, SubscribeValue>
                {
                    ["character_string1"] = new(order.OrderNo),
                    ["thing2"] = new(Truncate(carrier, 20)),
                    ["character_string3"] = new(Truncate(package.TrackingNo ?? "-", 32)),
                    ["thing4"] = new(Truncate(ShippingUploader.Describe(order, package), 20)),
                },
            }, cancellationToken);
            logger.LogInformation("Shipped notice sent for {OrderNo} package {PackageId}", order.OrderNo, package.PackageId);
        }
        catch (WeChatApiException e) when (e.ErrorCode == WeChatErrorCodes.UserRefusedSubscription)
        {
            logger.LogInformation("The member of {OrderNo} no longer accepts the shipped notice (43101)", order.OrderNo);
        }
        catch (WeChatUnavailableException)
        {
            // Not sent: the grant goes back and the queue delivers the event again.
            await grants.GiveBackAsync(order.OpenId, template, sendId, cancellationToken);
            throw;
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
