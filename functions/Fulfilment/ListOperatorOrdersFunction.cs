using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Fulfilment;
using WeStore.Domain.Orders;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Fulfilment;

/// <summary>
/// <c>GET /api/manage/orders?status=toShip|shipped|received|uploadFailed&amp;pageSize=&amp;continuationToken=</c>
/// (function key): an operator's work list, oldest payment first, read from the index the transitions keep.
/// </summary>
public sealed class ListOperatorOrdersFunction(ShippingService shipping, ILogger<ListOperatorOrdersFunction> logger)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    [Function(nameof(ListOperatorOrdersFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/orders")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListOperatorOrdersFunction), async () =>
        {
            OrderBucket? bucket = request.Query["status"].ToString() switch
            {
                "toShip" => OrderBucket.ToShip,
                "shipped" => OrderBucket.Shipped,
                "received" => OrderBucket.Received,
                "uploadFailed" => OrderBucket.UploadFailed,
                _ => null,
            };
            if (bucket is null)
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["status"] = ["status is toShip, shipped, received or uploadFailed."] });
            }

            var pageSize = DefaultPageSize;
            var sizeText = request.Query["pageSize"].ToString();
            if (sizeText.Length > 0 && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["pageSize"] = [$"pageSize must be 1 to {MaxPageSize}."] });
            }

            var token = request.Query["continuationToken"].ToString();
            return new OkObjectResult(await shipping.ListAsync(bucket.Value, token.Length == 0 ? null : token, pageSize, request.HttpContext.RequestAborted));
        });
}
