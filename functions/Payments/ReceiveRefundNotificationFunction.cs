using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Payments;

namespace WeStore.Functions.Payments;

/// <summary><c>POST /api/pay/refund-notify</c>: REFUND.SUCCESS, REFUND.CLOSED and REFUND.ABNORMAL, verified like payments.</summary>
public sealed class ReceiveRefundNotificationFunction(RefundService refunds, ILogger<ReceiveRefundNotificationFunction> logger)
{
    [Function(nameof(ReceiveRefundNotificationFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pay/refund-notify")] HttpRequest request)
        => NotifyRequests.HandleAsync(request, logger, refunds.HandleNotificationAsync);
}
