using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Catalog;

/// <summary><c>GET /api/catalog/products</c> (anonymous): products on sale, from the per-instance cache.</summary>
public sealed class ListProductsFunction(CatalogService catalog, ILogger<ListProductsFunction> logger)
{
    [Function(nameof(ListProductsFunction))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/products")] HttpRequest request)
        => FunctionGuard.RunAsync(logger, nameof(ListProductsFunction), async () =>
        {
            var products = await catalog.ListAsync(request.HttpContext.RequestAborted);
            request.HttpContext.Response.Headers.CacheControl = "public, max-age=30";
            return new OkObjectResult(new { products = products.Where(p => p.OnSale).Select(ProductView.From) });
        });
}

/// <summary>A product as the Mini Program shows it.</summary>
public sealed record ProductView(string Id, string Name, string? Description, string? ImageUrl, bool OnSale, IReadOnlyList<SkuView> Skus)
{
    public static ProductView From(WeStore.Domain.Catalog.Product p)
        => new(p.Id, p.Name, p.Description, p.ImageUrl, p.OnSale, p.Skus.Select(s => new SkuView(s.Id, s.Name, s.Price, s.OnSale && p.OnSale, s.ImageUrl)).ToList());
}

public sealed record SkuView(string Id, string Name, long Price, bool OnSale, string? ImageUrl);
