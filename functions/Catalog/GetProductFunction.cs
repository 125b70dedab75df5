using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using WeStore.Application.Catalog;
using WeStore.Domain.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Catalog;

/// <summary><c>GET /api/catalog/products/{productId}</c> (anonymous).</summary>
public sealed class GetProductFunction(CatalogService catalog, ILogger<GetProductFunction> logger)
{
    [Function(nameof(GetProductFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/products/{productId}")] HttpRequest request, string productId)
        => FunctionGuard.RunAsync(logger, nameof(GetProductFunction), async () =>
        {
            var product = CatalogRules.IsValidId(productId) ? await catalog.GetAsync(productId, request.HttpContext.RequestAborted) : null;
            if (product is null) return Problems.Create(StatusCodes.Status404NotFound, "No such product.");
            request.HttpContext.Response.Headers.CacheControl = "public, max-age=30";
            return new OkObjectResult(ProductView.From(product));
        });
}
