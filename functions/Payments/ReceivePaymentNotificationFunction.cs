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
public sealed class ReceivePaymentNotificationFunction(PaymentRecorder payments, ILogger<ReceivePaymentNotificationFunction> logger)
{
    [Function(nameof(ReceivePaymentNotificationFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pay/notify")] HttpRequest request)
        => NotifyRequests.HandleAsync(request, logger, payments.HandleNotificationAsync);
}
