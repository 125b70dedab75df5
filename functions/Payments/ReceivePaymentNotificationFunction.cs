using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Payments;

namespace WeStore.Functions.Payments;

/// <summary>
/// <c>POST /api/pay/notify</c> (anonymous: the WeChat Pay signature is the authentication). Answers 204 only once
/// the order's transition and its order-paid event are durable; anything else is a FAIL that WeChat Pay retries.
/// </summary>
public sealed class ReceivePaymentNotificationFunction(PaymentService payments, ILogger<ReceivePaymentNotificationFunction> logger)
{
    [Function(nameof(ReceivePaymentNotificationFunction))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pay/notify")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var body = await NotifyRequests.ReadRawBodyAsync(request, ct);
        if (body is null) return NotifyRequests.TooLarge();
        try
        {
            var answer = await payments.HandleTransactionNotificationAsync(
                NotifyRequests.Header(request, "Wechatpay-Serial"), NotifyRequests.Header(request, "Wechatpay-Timestamp"),
                NotifyRequests.Header(request, "Wechatpay-Nonce"), NotifyRequests.Header(request, "Wechatpay-Signature"), body, ct);
            return NotifyRequests.ToResult(answer);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Recording a payment notification failed; WeChat Pay will retry it");
            return NotifyRequests.Retry();
        }
    }
}
