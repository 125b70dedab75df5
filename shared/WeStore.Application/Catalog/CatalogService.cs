using WeStore.Domain.Catalog;

namespace WeStore.Application.Catalog;

/// <summary>A SKU line of an import: the offer plus the stock to set (absolute, on hand) and its shard count.</summary>
public sealed record SkuImport(ProductSku Sku, int Stock);

public sealed record ProductImport(Product Product, IReadOnlyList<SkuImport> Skus);

/// <summary>
/// Products for browsing, from a short per-instance cache (the catalog changes rarely; browsing is hot), and
/// operators' imports. Order pricing does not use this cache: it reads the price with the stock, per SKU.
/// </summary>
public sealed class CatalogService(ICatalogRepository catalog, IStockRepository stock, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile CatalogSnapshot? _snapshot;

    public async Task<IReadOnlyList<Product>> ListAsync(CancellationToken cancellationToken)
        => (await SnapshotAsync(cancellationToken)).Products;

    public async Task<Product?> GetAsync(string productId, CancellationToken cancellationToken)
        => (await SnapshotAsync(cancellationToken)).ById.GetValueOrDefault(productId);

    /// <summary>How many stock shards a SKU has, so a reservation can start at a random one (1 when unknown).</summary>
    public async Task<int> ShardsOfAsync(string skuId, CancellationToken cancellationToken)
        => (await SnapshotAsync(cancellationToken)).ShardsBySku.GetValueOrDefault(skuId, 1);

    public async Task ImportAsync(IReadOnlyList<ProductImport> imports, CancellationToken cancellationToken)
    {
        foreach (var import in imports)
        {
            // Stock first, product last: a product is never listed with SKUs that cannot be ordered.
            foreach (var sku in import.Skus)
            {
                var offer = new SkuOffer(sku.Sku.Id, import.Product.Id, sku.Sku.Name, sku.Sku.Price, sku.Sku.OnSale && import.Product.OnSale);
                await stock.SetAsync(offer, sku.Stock, sku.Sku.StockShards, cancellationToken);
            }

            await catalog.SaveAsync(import.Product, cancellationToken);
        }

        _snapshot = null;
    }

    private async Task<CatalogSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var current = _snapshot;
        if (current is not null && time.GetUtcNow() - current.LoadedAt < CacheFor) return current;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            current = _snapshot;
            if (current is not null && time.GetUtcNow() - current.LoadedAt < CacheFor) return current;
            var products = (await catalog.ListAsync(cancellationToken)).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
            _snapshot = current = new CatalogSnapshot(products, time.GetUtcNow());
            return current;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed class CatalogSnapshot(IReadOnlyList<Product> products, DateTimeOffset loadedAt)
    {
        public IReadOnlyList<Product> Products { get; } = products;

        public DateTimeOffset LoadedAt { get; } = loadedAt;

        public Dictionary<string, Product> ById { get; } = products.ToDictionary(p => p.Id, StringComparer.Ordinal);

        public Dictionary<string, int> ShardsBySku { get; } = products.SelectMany(p => p.Skus)
            .GroupBy(s => s.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().StockShards, StringComparer.Ordinal);
    }
}
