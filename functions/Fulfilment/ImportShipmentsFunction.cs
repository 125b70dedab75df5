using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Fulfilment;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Fulfilment;

/// <summary>
/// <c>POST /api/manage/shipments/import</c> (function key, <c>text/csv</c>, at most 1 MiB and 5000 lines): a
/// warehouse's shipments. Answers per line: shipped, unchanged (a re-import), refused (the order's rules) or invalid;
/// the good lines are applied whatever the others hold.
/// </summary>
public sealed class ImportShipmentsFunction(ShippingService shipping, ILogger<ImportShipmentsFunction> logger)
{
    [Function(nameof(ImportShipmentsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/shipments/import")] HttpRequest request)
        => Routes.OperatorAsync(request, logger, nameof(ImportShipmentsFunction), async () =>
        {
            var mediaType = request.ContentType is { } ct ? ct.Split(';')[0].Trim() : null;
            if (!string.Equals(mediaType, "text/csv", StringComparison.OrdinalIgnoreCase))
            {
                return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "The body must be text/csv.");
            }

            var bytes = await RequestBody.ReadBoundedAsync(request, ShipmentCsv.MaxBytes, request.HttpContext.RequestAborted);
            if (bytes is null) return Problems.Create(StatusCodes.Status413PayloadTooLarge, "The file is too large.", $"At most {ShipmentCsv.MaxBytes} bytes.");
            var (lines, errors, tooMany) = ShipmentCsv.Parse(bytes);
            if (tooMany) return Problems.Create(StatusCodes.Status413PayloadTooLarge, "The file has too many lines.", $"At most {ShipmentCsv.MaxLines} lines; split the file.");
            if (lines.Count == 0 && errors.Count == 0) return Problems.Create(StatusCodes.Status400BadRequest, "The file holds no shipment lines.");
            if (lines.Count == 0)
            {
                // Not one line can be read: the wrong file, not a warehouse's bad line or two.
                return Problems.Validation(errors.Take(100).ToDictionary(e => "line " + e.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), e => new[] { e.Reason }),
                    "No line of the file is a shipment.");
            }


            var result = await shipping.ImportAsync(lines, RequestCancellation.Writes);
            var all = result.Results.Concat(errors.Select(e => new ImportLineResult(e.Line, null, "invalid", e.Reason, null))).OrderBy(r => r.Line).ToList();
            return new OkObjectResult(result with { Lines = result.Lines + errors.Count, Invalid = result.Invalid + errors.Count, Results = all });
        });
}
