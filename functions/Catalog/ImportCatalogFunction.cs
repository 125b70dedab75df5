using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Catalog;
using WeStore.Domain.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Catalog;

/// <summary>
/// <c>POST /api/manage/catalog</c> (function key): creates or replaces products and sets their SKUs' stock.
/// Operator routes live under <c>manage/</c> because the Functions host refuses routes that start with <c>admin</c>.
/// </summary>
public sealed class ImportCatalogFunction(CatalogService catalog, IValidator<ImportCatalogRequest> validator, ILogger<ImportCatalogFunction> logger)
{
    [Function(nameof(ImportCatalogFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/catalog")] HttpRequest request)
        => Routes.WithBodyAsync(request, validator, logger, nameof(ImportCatalogFunction), async body =>
        {
            var imports = body.Products!.Select(p =>
            {
                var skus = p!.Skus!.Select(s => new ProductSku(s!.Id!, s.Name!, s.Price!.Value, s.OnSale!.Value, s.ImageUrl, s.StockShards ?? 1)).ToList();
                var product = new Product(p.Id!, p.Name!, p.Description, p.ImageUrl, p.OnSale!.Value, skus);
                return new ProductImport(product, p.Skus!.Select((s, i) => new SkuImport(skus[i], s!.Stock!.Value)).ToList());
            }).ToList();
            await catalog.ImportAsync(imports, RequestCancellation.Writes);
            return new OkObjectResult(new { imported = imports.Count, skus = imports.Sum(i => i.Skus.Count) });
        });
}
