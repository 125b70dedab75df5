using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.AfterSales;
using WeStore.Domain.AfterSales;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.AfterSales;

/// <summary>
/// <c>GET /api/manage/after-sales?status=&amp;pageSize=&amp;continuationToken=</c> (function key): the requests in one
/// status, oldest first, from the index the moves keep.
/// </summary>
public sealed class ListAfterSalesFunction(AfterSaleService afterSales, ILogger<ListAfterSalesFunction> logger)
{
    public const int MaxPageSize = 100;

    [Function(nameof(ListAfterSalesFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/after-sales")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ListAfterSalesFunction), async () =>
        {
            var text = request.Query["status"].ToString();
            var status = Enum.GetValues<AfterSaleStatus>().Cast<AfterSaleStatus?>().FirstOrDefault(s => AfterSaleView.Camel(s!.Value.ToString()) == text);
            if (status is null)
            {
                return Problems.Validation(new Dictionary<string, string[]>
                {
                    ["status"] = [$"status is one of {string.Join(", ", Enum.GetValues<AfterSaleStatus>().Select(s => AfterSaleView.Camel(s.ToString())))}."],
                });
            }

            var pageSize = 20;
            var sizeText = request.Query["pageSize"].ToString();
            if (sizeText.Length > 0 && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["pageSize"] = [$"pageSize must be 1 to {MaxPageSize}."] });
            }

            var token = request.Query["continuationToken"].ToString();
            return new OkObjectResult(await afterSales.ListAsync(status.Value, token.Length == 0 ? null : token, pageSize, request.HttpContext.RequestAborted));
        });
}
