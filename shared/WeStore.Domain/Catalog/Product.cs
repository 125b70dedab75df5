namespace WeStore.Domain.Catalog;

/// <summary>A product and its SKUs, as operators import it. Prices are fen; stock lives with the SKU, not here.</summary>
public sealed record Product(
    string Id,
    string Name,
    string? Description,
    string? ImageUrl,
    bool OnSale,
    IReadOnlyList<ProductSku> Skus);

public sealed record ProductSku(string Id, string Name, long Price, bool OnSale, string? ImageUrl, int StockShards);

public static class CatalogRules
{
    public const int MaxIdLength = 64;
    public const long MaxPrice = 100_000_000; // 1,000,000 yuan: far above any store's SKU, far below overflow.
    public const int MaxStock = 10_000_000;
    public const int MaxShards = 16;

    /// <summary>Ids become row and partition keys: letters, digits, '-' and '_' only.</summary>
    public static bool IsValidId(string? id)
        => !string.IsNullOrEmpty(id) && id.Length <= MaxIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

public interface ICatalogRepository
{
    Task<IReadOnlyList<Product>> ListAsync(CancellationToken cancellationToken);

    Task<Product?> GetAsync(string productId, CancellationToken cancellationToken);

    Task SaveAsync(Product product, CancellationToken cancellationToken);
}
