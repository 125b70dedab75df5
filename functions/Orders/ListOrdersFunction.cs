using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Orders;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Orders;

/// <summary><c>GET /api/orders?pageSize=&amp;continuationToken=</c> (member): newest first.</summary>
public sealed class ListOrdersFunction(MemberAuthenticator authenticator, OrderService orders, ILogger<ListOrdersFunction> logger)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 50;

    [Function(nameof(ListOrdersFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders")] HttpRequest request)
        => Routes.MemberAsync(request, authenticator, logger, nameof(ListOrdersFunction), async (session, ct) =>
        {
            var pageSize = DefaultPageSize;
            var sizeText = request.Query["pageSize"].ToString();
            if (sizeText.Length > 0 && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["pageSize"] = [$"pageSize must be 1 to {MaxPageSize}."] });
            }

            var token = request.Query["continuationToken"].ToString();
            return new OkObjectResult(await orders.ListAsync(session, token.Length == 0 ? null : token, pageSize, ct));
        });
}
