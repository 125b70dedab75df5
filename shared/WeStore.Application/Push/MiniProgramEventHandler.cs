using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeStore.Application.Fulfilment;
using WeStore.Application.Telemetry;
using WeStore.Domain.Notifications;
using WeStore.Domain.Operations;
using WeStore.Domain.Push;
using WeStore.WeChat.Push;

namespace WeStore.Application.Push;

/// <summary>
/// The <c>miniprogram-events</c> consumer. WeChat retries pushes, so each effect is idempotent by the event's own
/// identity: receipt is one conditional transition; an alert is keyed by what it is about; a subscription event's
/// grants are applied once per (openid, CreateTime, event). Settlement is never branched on
/// <c>confirm_receive_method</c> (developers report it arriving reversed).
/// </summary>
public sealed class MiniProgramEventHandler(
    ReceiptService receipts,
    ISubscriptionGrants grants,
    IOperatorAlerts alerts,
    TimeProvider time,
    ILogger<MiniProgramEventHandler> logger)
{
    public async Task HandleAsync(PushEventMessage message, CancellationToken cancellationToken)
    {
        var document = PushDocument.Parse(message.Document);
        if (document is null) return;
        var kind = PushDocument.Text(document, "Event");
        switch (kind)
        {
            case "trade_manage_order_settlement":
                await SettleAsync(document, cancellationToken);
                break;
            case "trade_manage_remind_shipping":
                await AlertAsync(AlertKinds.RemindShipping, PushDocument.Text(document, "merchant_trade_no") ?? PushDocument.Text(document, "transaction_id") ?? "unknown",
                    $"WeChat reminds the store to ship: {PushDocument.Text(document, "msg")}", PushDocument.Text(document, "merchant_trade_no"), cancellationToken);
                break;
            case "trade_manage_remind_access_api":
                await AlertAsync(AlertKinds.RemindAccessApi, PushDocument.Text(document, "CreateTime") ?? "unknown",
                    $"WeChat asks the store to use the shipping API: {PushDocument.Text(document, "msg")}", null, cancellationToken);
                break;
            case "subscribe_msg_popup_event" or "subscribe_msg_change_event":
                await GrantsAsync(document, kind, cancellationToken);
                break;
            default:
                logger.LogInformation("Mini Program event {Event} is not one the store acts on", kind);
                break;
        }
    }

    private async Task SettleAsync(JsonObject document, CancellationToken cancellationToken)
    {
        var orderNo = PushDocument.Text(document, "merchant_trade_no");
        var confirmed = Seconds(document, "confirm_receive_time") ?? Seconds(document, "settlement_time");
        if (orderNo is null) return;
        if (confirmed is not { } at)
        {
            // The push sent when shipping completes: it carries only the estimated settlement time.
            logger.LogInformation("WeChat recorded {OrderNo}'s shipment; estimated settlement {Estimated}", orderNo, Seconds(document, "estimated_settlement_time"));
            return;
        }

        await receipts.OnSettlementAsync(orderNo, at, cancellationToken);
    }

    private async Task GrantsAsync(JsonObject document, string kind, CancellationToken cancellationToken)
    {
        var openId = PushDocument.Text(document, "FromUserName");
        if (string.IsNullOrEmpty(openId)) return;
        // JSON pushes put "List" at the top (an object for one template, an array for several); XML nests it.
        var list = document["List"] ?? (document["SubscribeMsgPopupEvent"] ?? document["SubscribeMsgChangeEvent"]) switch
        {
            JsonObject wrapper => wrapper["List"],
            _ => null,
        };
        var changes = PushDocument.Objects(list)
            .Select(o => (Template: PushDocument.Text(o, "TemplateId"), Status: PushDocument.Text(o, "SubscribeStatusString")))
            .Where(c => !string.IsNullOrEmpty(c.Template) && c.Status is "accept" or "reject")
            .Select(c => new GrantChange(c.Template!, c.Status == "accept")).ToList();
        if (changes.Count == 0) return;

        var identity = $"{openId}|{PushDocument.Text(document, "CreateTime")}|{kind}|{string.Join(",", changes.Select(c => c.TemplateId + ":" + c.Accepted))}";
        var eventId = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
        if (await grants.ApplyAsync(openId, eventId, changes, cancellationToken))
        {
            logger.LogInformation("Subscription grants changed for a member: {Accepted} accepted, {Rejected} rejected", changes.Count(c => c.Accepted), changes.Count(c => !c.Accepted));
        }
    }

    private async Task AlertAsync(string kind, string id, string text, string? orderNo, CancellationToken cancellationToken)
    {
        logger.LogError("Operator alert {Kind}: {Message}", kind, text);
        WeStoreTelemetry.OperatorAlerts.Add(1, new KeyValuePair<string, object?>("kind", kind));
        await alerts.RecordAsync(new OperatorAlert(id, kind, text, orderNo, time.GetUtcNow()), cancellationToken);
    }

    private static DateTimeOffset? Seconds(JsonObject document, string name)
        => long.TryParse(PushDocument.Text(document, name), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
}
