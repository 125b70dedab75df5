using Microsoft.Azure.Functions.Worker;
using WeStore.Application.Fulfilment;
using WeStore.Domain.Fulfilment;

namespace WeStore.Functions.Fulfilment;

/// <summary>The <c>shipping-upload</c> consumer: tells WeChat's order shipping management what shipped, from the payment's ledger.</summary>
public sealed class UploadShippingFunction(ShippingUploader uploader)
{
    [Function(nameof(UploadShippingFunction))]
    public Task Run([QueueTrigger(FulfilmentQueues.ShippingUpload)] ShippingUploadMessage message, CancellationToken cancellationToken)
        => uploader.UploadAsync(message, cancellationToken);
}
