using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Payments;

namespace WeStore.Functions.Payments;

/// <summary><c>POST /api/pay/refund-notify</c>: REFUND.SUCCESS, REFUND.CLOSED and REFUND.ABNORMAL, verified like payments.</summary>
public sealed class ReceiveRefundNotificationFunction(PaymentService payments, ILogger<ReceiveRefundNotificationFunction> logger)
{
    [Function(nameof(ReceiveRefundNotificationFunction))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pay/refund-notify")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var body = await NotifyRequests.ReadRawBodyAsync(request, ct);
        if (body is null) return NotifyRequests.TooLarge();
        try
        {
            var answer = await payments.HandleRefundNotificationAsync(
                NotifyRequests.Header(request, "Wechatpay-Serial"), NotifyRequests.Header(request, "Wechatpay-Timestamp"),
                NotifyRequests.Header(request, "Wechatpay-Nonce"), NotifyRequests.Header(request, "Wechatpay-Signature"), body, ct);
            return NotifyRequests.ToResult(answer);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Recording a refund notification failed; WeChat Pay will retry it");
            return NotifyRequests.Retry();
        }
    }
}
